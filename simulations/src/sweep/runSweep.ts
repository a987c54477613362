import { availableParallelism } from 'node:os';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderReport } from '../report/html.ts';
import { resolveOptions } from '../sim/options.ts';
import type { SimResults } from '../sim/resultsSchema.ts';
import { gridPoints, type SweepConfig } from './config.ts';
import { completedResult, pointFile } from './pointFiles.ts';
import { runOnWorkers } from './pool.ts';

export interface SweepOutcome {
  outDir: string;
  reportPath: string;
  /** Points whose valid result was already on disk. */
  reused: string[];
  computed: string[];
  failed: { id: string; error: string }[];
}

export interface SweepHooks {
  onPoint?(id: string, status: 'reused' | 'computed' | 'failed', detail: string): void;
}

/** Runs every grid point not already done (resumable), one result file each, then one combined report. */
export async function runSweep(config: SweepConfig, options: { workers?: number; reportPath?: string } = {}, hooks: SweepHooks = {}): Promise<SweepOutcome> {
  const points = gridPoints(config);
  points.forEach((p) => resolveOptions(p.options));
  const outcome: SweepOutcome = { outDir: config.outDir, reportPath: options.reportPath ?? join(config.outDir, 'report.html'), reused: [], computed: [], failed: [] };
  const todo = points.filter((p) => {
    if (!completedResult(config.outDir, p)) return true;
    outcome.reused.push(p.id);
    hooks.onPoint?.(p.id, 'reused', pointFile(config.outDir, p));
    return false;
  });
  const workers = options.workers ?? config.workers ?? availableParallelism();
  await runOnWorkers(
    todo.map((p) => ({ id: p.id, options: p.options, outFile: pointFile(config.outDir, p) })),
    workers,
    (reply) => {
      if (reply.ok) {
        outcome.computed.push(reply.id);
        hooks.onPoint?.(reply.id, 'computed', `${(reply.ms / 1000).toFixed(1)} s`);
      } else {
        outcome.failed.push({ id: reply.id, error: reply.error });
        hooks.onPoint?.(reply.id, 'failed', reply.error);
      }
    },
  );
  const done = points.flatMap((p) => {
    const r: SimResults | null = completedResult(config.outDir, p);
    return r ? [{ label: p.id, results: r }] : [];
  });
  if (done.length > 0) writeFileSync(outcome.reportPath, renderReport(done, `Sweep ${config.name}`));
  return outcome;
}
