/** Web Worker entry of the browser rows of `bench train`: the device trainer's kernels, without tfjs in the bundle. */
import { trainFast, wasmKernelsAvailable } from '@huddle/shared/network';
import { serveTrainRequests } from './browserTrainLoop.ts';

serveTrainRequests({
  async prepare(r) {
    const wasmSimd = wasmKernelsAvailable();
    return { engine: r.kernels === 'js' || !wasmSimd ? 'js kernels' : 'wasm simd kernels', wasmSimd };
  },
  train: (r, j) => trainFast(r.net, j.init, j.data, j.config, r.kernels),
});
