import * as tf from '@tensorflow/tfjs';
import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

let ready: Promise<string> | null = null;
let binary: string | null = null;

/**
 * The URL of the one WebAssembly binary tfjs loaded on this device (SIMD or plain; never the threaded one), or null on the
 * cpu backend. The service worker caches only this one for offline use.
 */
export function wasmBinaryInUse(): string | null {
  return binary;
}

/**
 * tfjs on its WebAssembly backend, single-threaded (the threaded build needs cross-origin isolation and fails in
 * minified bundles), falling back to the plain JS cpu backend if WebAssembly is unavailable (e.g. a strict CSP).
 */
export function initTfBackend(): Promise<string> {
  ready ??= (async () => {
    try {
      setWasmPaths({
        'tfjs-backend-wasm.wasm': wasmUrl,
        'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
        'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
      });
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      setThreadsCount(1);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        binary = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) ? wasmSimdUrl : wasmUrl;
        return 'wasm';
      }
    } catch {
      /* fall back below */
    }
    await tf.setBackend('cpu');
    await tf.ready();
    return 'cpu';
  })();
  return ready;
}
