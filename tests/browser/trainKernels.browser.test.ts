import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { modelSpec, trainFast } from '@huddle/shared/model';
import { trainInChromium } from '../../simulations/src/bench/trainBrowser.ts';
import { makeJobs } from '../../simulations/src/bench/trainJobs.ts';

describe('training in a Chromium Web Worker', () => {
  it('runs the shared wasm SIMD kernels there and gets the same weights as Node, bit for bit', async () => {
    const net = modelSpec('injury', FEATURE_COUNT);
    const workload = { clients: 3, samples: 96, batch: 32, epochs: 2, seconds: 0.2 };
    const runs = await trainInChromium([
      { ...workload, net, trainer: 'fast', kernels: 'auto' },
      { ...workload, net, trainer: 'fast', kernels: 'js' },
    ]);
    const job = makeJobs(net, workload)[0]!;
    for (const [i, kernels] of (['wasm', 'js'] as const).entries()) {
      const run = runs[i]!;
      if (!run.ok) throw new Error(run.reason);
      expect(run.reply.wasmSimd).toBe(true);
      expect(run.reply.engine).toBe(`${kernels} ${kernels === 'wasm' ? 'simd ' : ''}kernels`);
      expect(run.reply.samples).toBeGreaterThan(0);
      expect(run.reply.firstJobWeights).toEqual(Array.from(trainFast(net, job.init, job.data, job.config, kernels).weights));
    }
  });
});
