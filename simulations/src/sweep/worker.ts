import { parentPort } from 'node:worker_threads';
import { SimUsageError } from '../sim/options.ts';
import { runSimulation } from '../sim/runSimulation.ts';
import type { SimOptionsInput } from '../sim/options.ts';
import { writeJsonAtomic } from './pointFiles.ts';

export interface WorkerTask {
  id: string;
  options: SimOptionsInput;
  outFile: string;
}

export type WorkerReply = { id: string; ok: true; ms: number } | { id: string; ok: false; usage: boolean; error: string };

/** Runs one sweep point at a time for the main thread and writes its result file. */
parentPort?.on('message', async (task: WorkerTask) => {
  const started = performance.now();
  try {
    const results = await runSimulation(task.options);
    writeJsonAtomic(task.outFile, results);
    parentPort!.postMessage({ id: task.id, ok: true, ms: performance.now() - started } satisfies WorkerReply);
  } catch (err) {
    parentPort!.postMessage({ id: task.id, ok: false, usage: err instanceof SimUsageError, error: err instanceof Error ? err.message : String(err) } satisfies WorkerReply);
  }
});
