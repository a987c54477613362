import { afterEach, describe, expect, it, vi } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { initialWeights, modelSpec } from '@huddle/shared/model';
import { tfjsModelFiles } from '../src/http/modelArtifacts.ts';

describe('model artifacts', () => {
  afterEach(() => vi.restoreAllMocks());

  it('serialise the model without tfjs\'s "install our node backend" banner', async () => {
    const printed: string[] = [];
    for (const level of ['warn', 'log', 'info'] as const) vi.spyOn(console, level).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
    const spec = modelSpec('readiness', FEATURE_COUNT);
    const files = await tfjsModelFiles(spec, initialWeights(spec, 1));
    expect(files.weightsBin.byteLength).toBe(initialWeights(spec, 1).length * 4);
    expect(printed.filter((p) => /node backend|tfjs-node/.test(p))).toEqual([]);
  });
});
