import type { KernelChoice, LocalTrainResult, ModelSpec, TrainJob } from '@huddle/shared/network';
import { makeJobs, measure, oneAtATime, type Measured, type TrainWorkload } from './trainJobs.ts';

/** Which bundled worker trains: the shared kernels, or tfjs (the device path before them). */
export type BrowserTrainer = 'fast' | 'tfjs';

export interface BrowserTrainRequest extends TrainWorkload {
  net: ModelSpec;
  trainer: BrowserTrainer;
  /** For the fast trainer. */
  kernels: KernelChoice;
  seconds: number;
}

export interface BrowserTrainReply extends Measured {
  /** Weights after training job 0 once more, to compare with Node's result for the same job. */
  firstJobWeights: number[];
  /** What trained: kernels or tfjs backend. */
  engine: string;
  wasmSimd: boolean;
  userAgent: string;
}

export type BrowserTrainMessage = { type: 'prepare'; request: BrowserTrainRequest } | { type: 'run' };

export interface BenchTrainer {
  /** Called once per request before its jobs are made; says what will train. */
  prepare(request: BrowserTrainRequest): Promise<{ engine: string; wasmSimd: boolean }>;
  train(request: BrowserTrainRequest, job: TrainJob): Promise<LocalTrainResult> | LocalTrainResult;
}

/**
 * The message loop of a benchmark Web Worker: 'prepare' sets up and makes the jobs (so their cost stays out of the
 * CPU time the page's host measures around 'run'); 'run' trains them one client at a time for the time budget.
 */
export function serveTrainRequests(trainer: BenchTrainer): void {
  const scope = self as unknown as DedicatedWorkerGlobalScope;
  let prepared: { request: BrowserTrainRequest; jobs: TrainJob[]; engine: string; wasmSimd: boolean } | null = null;
  scope.onmessage = async (ev: MessageEvent<BrowserTrainMessage>) => {
    const msg = ev.data;
    try {
      switch (msg.type) {
        case 'prepare': {
          const info = await trainer.prepare(msg.request);
          prepared = { request: msg.request, jobs: makeJobs(msg.request.net, msg.request), ...info };
          scope.postMessage({ prepared: true });
          return;
        }
        case 'run': {
          if (!prepared) throw new Error('run before prepare');
          const { request: r, jobs, engine, wasmSimd } = prepared;
          const measured = await measure(r.seconds, oneAtATime(jobs, (j) => trainer.train(r, j)));
          const firstJobWeights = Array.from((await trainer.train(r, jobs[0]!)).weights);
          scope.postMessage({ ...measured, firstJobWeights, engine, wasmSimd, userAgent: navigator.userAgent } satisfies BrowserTrainReply);
          return;
        }
      }
    } catch (err) {
      scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
    }
  };
}
