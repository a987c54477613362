/** Web Worker entry of the browser rows of `bench train`: the device trainer's kernels, one client at a time. */
import { trainFast, wasmKernelsAvailable, type KernelChoice, type ModelSpec, type TrainJob } from '@huddle/shared/network';
import { makeJobs, measure, oneAtATime, type Measured, type TrainWorkload } from './trainJobs.ts';

export interface BrowserTrainRequest extends TrainWorkload {
  net: ModelSpec;
  kernels: KernelChoice;
  seconds: number;
}

export interface BrowserTrainReply extends Measured {
  /** Weights after training job 0 once more, to compare with Node's result for the same job. */
  firstJobWeights: number[];
  wasmSimd: boolean;
  userAgent: string;
}

export type BrowserTrainMessage = { type: 'prepare'; request: BrowserTrainRequest } | { type: 'run' };

const scope = self as unknown as DedicatedWorkerGlobalScope;
let prepared: { request: BrowserTrainRequest; jobs: TrainJob[] } | null = null;

/** 'prepare' makes the jobs (so their cost stays out of the CPU time measured around 'run'); 'run' trains them. */
scope.onmessage = async (ev: MessageEvent<BrowserTrainMessage>) => {
  const msg = ev.data;
  try {
    switch (msg.type) {
      case 'prepare':
        prepared = { request: msg.request, jobs: makeJobs(msg.request.net, msg.request) };
        scope.postMessage({ prepared: true });
        return;
      case 'run': {
        if (!prepared) throw new Error('run before prepare');
        const { request: r, jobs } = prepared;
        const measured = await measure(r.seconds, oneAtATime(jobs, (j) => trainFast(r.net, j.init, j.data, j.config, r.kernels)));
        const firstJobWeights = Array.from(trainFast(r.net, jobs[0]!.init, jobs[0]!.data, jobs[0]!.config, r.kernels).weights);
        scope.postMessage({ ...measured, firstJobWeights, wasmSimd: wasmKernelsAvailable(), userAgent: navigator.userAgent } satisfies BrowserTrainReply);
        return;
      }
    }
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
