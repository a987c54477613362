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

  it('runs the tfjs reference there (the fallback, bundled as the bench bundles it) within 1e-4 of the kernels', async () => {
    const net = modelSpec('injury', FEATURE_COUNT);
    const workload = { clients: 2, samples: 64, batch: 32, epochs: 1, seconds: 0.1 };
    const [run] = await trainInChromium([{ ...workload, net, trainer: 'tfjs', kernels: 'auto' }]);
    if (!run!.ok) throw new Error(run!.reason);
    expect(run!.reply.engine).toMatch(/^tfjs wasm backend/);
    const job = makeJobs(net, workload)[0]!;
    const fast = trainFast(net, job.init, job.data, job.config);
    const worst = run!.reply.firstJobWeights.reduce((m, v, i) => Math.max(m, Math.abs(v - fast.weights[i]!)), 0);
    expect(worst).toBeLessThan(1e-4);
  });
});
