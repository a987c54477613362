/** Web Worker entry of the tfjs browser row of `bench train`: tfjs on its wasm backend, as the app trained before the shared kernels. */
import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { trainTf } from '@huddle/shared/model';
import { serveTrainRequests } from './browserTrainLoop.ts';

serveTrainRequests({
  async prepare() {
    setWasmPaths('/tfjs-wasm/');
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    setThreadsCount(1);
    if (!(await tf.setBackend('wasm'))) await tf.setBackend('cpu');
    await tf.ready();
    const wasmSimd = tf.getBackend() === 'wasm' && (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
    return { engine: `tfjs ${tf.getBackend()} backend${wasmSimd ? ' (simd)' : ''}`, wasmSimd };
  },
  train: (r, j) => trainTf(r.net, j.init, j.data, j.config),
});
