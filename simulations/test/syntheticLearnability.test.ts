import { describe, expect, it } from 'vitest';
import { buildAthleteFeatures, FEATURE_COUNT, type AthleteFeatures } from '@huddle/shared/features';
import { groupByAthlete } from '@huddle/shared/log';
import { rocAuc } from '@huddle/shared/metrics';
import { Prng } from '@huddle/shared/random';
import { predictLogistic, trainLogistic } from '../src/baselines/logistic.ts';
import { generateSyntheticFederation } from '../src/synthetic/index.ts';

// Tuning record (200 athletes x 365 days, this split): seeds 1-16 gave held-out AUC 0.68-0.78
// (seeds 1, 2, 3: 0.709, 0.710, 0.695). The hazard was tuned in src/synthetic/injuryHazard.ts, not here.
const SEED = 16;
const ATHLETES = 200;

describe('synthetic injury risk is learnable but not trivial', () => {
  it('a pooled logistic regression reaches a held-out-athlete ROC AUC in [0.65, 0.85]', () => {
    const rows = generateSyntheticFederation({ athletes: ATHLETES, seed: SEED });
    const athletes = [...groupByAthlete(rows).values()].map((r) => buildAthleteFeatures(r));
    const order = new Prng(SEED).shuffle(athletes.map((_, i) => i));
    const cut = Math.round(0.8 * athletes.length);
    const train = labelledDays(order.slice(0, cut).map((i) => athletes[i]!));
    const heldOut = labelledDays(order.slice(cut).map((i) => athletes[i]!));

    const model = trainLogistic(train.x, train.y, FEATURE_COUNT, { l2: 1e-3 });
    const auc = rocAuc(predictLogistic(model, heldOut.x), heldOut.y);
    const positives = heldOut.y.filter((y) => y === 1).length;
    console.log(
      `learnability (seed ${SEED}): held-out AUC ${auc.toFixed(3)}, ` +
        `positives ${positives}, negatives ${heldOut.y.length - positives} ` +
        `(train ${train.y.length} days of ${cut} athletes, held out ${ATHLETES - cut} athletes)`,
    );
    expect(positives).toBeGreaterThan(100);
    expect(auc).toBeGreaterThanOrEqual(0.65);
    expect(auc).toBeLessThanOrEqual(0.85);
  });
});

/** The days with a known injury label, features row-major. */
function labelledDays(athletes: readonly AthleteFeatures[]): { x: Float64Array; y: number[] } {
  const y: number[] = [];
  const x: number[] = [];
  for (const a of athletes) {
    a.injuryLabel.forEach((label, t) => {
      if (label === null) return;
      y.push(label);
      for (let j = 0; j < FEATURE_COUNT; j++) x.push(a.x[t * FEATURE_COUNT + j]!);
    });
  }
  return { x: Float64Array.from(x), y };
}
