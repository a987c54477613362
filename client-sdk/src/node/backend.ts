import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { Logger } from '@huddle/shared/util';

// Silences tfjs's console notes (the "install our node backend" banner of its CPU backend among them);
// the backend chosen is logged below instead.
tf.enableProdMode();

export type NodeBackend = 'tensorflow' | 'wasm' | 'cpu';
let chosen: Promise<NodeBackend> | null = null;

/**
 * tfjs-node when its native library is installed (an optional dependency that cannot install
 * offline), else the single-threaded wasm backend, else the pure-JS cpu backend.
 */
export function initNodeBackend(logger?: Logger, prefer?: NodeBackend): Promise<NodeBackend> {
  chosen ??= pick(prefer ?? (process.env.HUDDLE_TF_BACKEND as NodeBackend | undefined)).then((backend) => {
    logger?.info({ backend }, 'tensorflow.js backend');
    return backend;
  });
  return chosen;
}

async function pick(prefer: NodeBackend | undefined): Promise<NodeBackend> {
  if (prefer !== 'wasm' && prefer !== 'cpu') {
    try {
      await import('@tensorflow/tfjs-node' as string);
      if (await tf.setBackend('tensorflow')) return 'tensorflow';
    } catch {
      /* native library absent: fall through */
    }
  }
  if (prefer !== 'cpu') {
    try {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const require = createRequire(import.meta.url);
      wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/');
      wasm.setThreadsCount(1);
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return 'wasm';
      }
    } catch {
      /* fall through to cpu */
    }
  }
  await tf.setBackend('cpu');
  await tf.ready();
  return 'cpu';
}
