/**
 * The worker's fallback trainer: tfjs on its wasm backend. Imported dynamically, only when the shared fast kernels
 * cannot run here, so tfjs (and its wasm binary) is neither fetched nor evaluated when the worker starts.
 */
import { trainTf, type LocalTrainer } from '@huddle/shared/model';
import { initTfBackend, wasmBinaryInUse } from './tfBackend.ts';

/** tfjs's backend name and the wasm binary it loaded, once it is ready. */
export async function loadTfjs(): Promise<{ backend: string; wasm: string | null }> {
  const backend = await initTfBackend();
  return { backend: `tfjs ${backend}`, wasm: wasmBinaryInUse() };
}

export const tfjsFallbackTrainer: LocalTrainer = {
  async train(spec, init, examples, config) {
    await initTfBackend();
    return trainTf(spec, init, examples, config);
  },
};
