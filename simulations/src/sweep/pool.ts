import { Worker } from 'node:worker_threads';
import type { WorkerReply, WorkerTask } from './worker.ts';

/** Runs tasks on up to `size` worker threads, each taking the next task when it finishes one. */
export async function runOnWorkers(tasks: readonly WorkerTask[], size: number, onReply: (r: WorkerReply) => void): Promise<void> {
  const queue = [...tasks];
  const count = Math.max(1, Math.min(size, queue.length));
  const lanes = Array.from({ length: count }, async () => {
    if (queue.length === 0) return;
    const worker = new Worker(new URL('./workerBoot.mjs', import.meta.url));
    try {
      for (let task = queue.shift(); task; task = queue.shift()) onReply(await runOne(worker, task));
    } finally {
      await worker.terminate();
    }
  });
  await Promise.all(lanes);
}

function runOne(worker: Worker, task: WorkerTask): Promise<WorkerReply> {
  return new Promise((resolve) => {
    const cleanup = (): void => {
      worker.off('message', onMessage);
      worker.off('error', onError);
    };
    const onMessage = (reply: WorkerReply): void => {
      if (reply.id !== task.id) return;
      cleanup();
      resolve(reply);
    };
    const onError = (err: Error): void => {
      cleanup();
      resolve({ id: task.id, ok: false, usage: false, error: `worker crashed: ${err.message}` });
    };
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.postMessage(task);
  });
}
