import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@huddle/shared/util';
import { runDemoFederation } from '@huddle/simulations';

describe('the demo federation', () => {
  it('enrolls its athletes, completes secure DP rounds of both tasks and writes the models', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huddle-demo-'));
    try {
      const result = await runDemoFederation({
        // Six athletes, five per round: the devices' default privacy policy reveals no secure sum over fewer than five.
        athletes: 6,
        rounds: 2,
        days: 200,
        seed: 3,
        dataDir: dir,
        port: 0,
        logger: silentLogger,
        clientLogger: silentLogger,
        privacy: { secureAggregation: true, noiseMultiplier: 0.5, clip: 0.5, delta: 1e-3 },
      });
      expect(result.records.map((r) => `${r.task}:${r.round}:${r.status}`)).toEqual(['injury:1:completed', 'readiness:1:completed', 'injury:2:completed', 'readiness:2:completed']);
      expect(result.records.every((r) => r.secureAggregation && r.privacy !== null)).toBe(true);
      expect(result.records[2]!.privacy!.epsilon).toBeGreaterThan(result.records[0]!.privacy!.epsilon);
      for (const modelDir of result.modelDirs) {
        const model = JSON.parse(readFileSync(join(modelDir, 'model.json'), 'utf8')) as { format: string; weightsManifest: { weights: { shape: number[] }[] }[] };
        expect(model.format).toBe('huddle-additive'); // both tasks default to the additive model
        const params = model.weightsManifest[0]!.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
        expect(statSync(join(modelDir, 'weights.bin')).size).toBe(params * 4);
      }
      expect(statSync(result.stateFile).size).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
