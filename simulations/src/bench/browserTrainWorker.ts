/** Web Worker entry of the browser rows of `bench train`: the device trainer's kernels, one client at a time. */
import { trainFast, wasmKernelsAvailable, type KernelChoice, type ModelSpec } from '@huddle/shared/network';
import { makeJobs, measure, oneAtATime, type TrainWorkload } from './trainJobs.ts';

export interface BrowserTrainRequest extends TrainWorkload {
  net: ModelSpec;
  kernels: KernelChoice;
  seconds: number;
}

export interface BrowserTrainReply {
  samplesPerSecond: number;
  wasmSimd: boolean;
  userAgent: string;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
scope.onmessage = async (ev: MessageEvent<BrowserTrainRequest>) => {
  const r = ev.data;
  try {
    const jobs = makeJobs(r.net, r);
    const samplesPerSecond = await measure(r.seconds, oneAtATime(jobs, (j) => trainFast(r.net, j.init, j.data, j.config, r.kernels)));
    scope.postMessage({ samplesPerSecond, wasmSimd: wasmKernelsAvailable(), userAgent: navigator.userAgent } satisfies BrowserTrainReply);
  } catch (err) {
    scope.postMessage({ error: err instanceof Error ? err.message : String(err) });
  }
};
