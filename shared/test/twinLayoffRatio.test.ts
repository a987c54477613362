import { describe, expect, it } from 'vitest';
import { Prng } from '../src/random/index.ts';
import {
  buildTwin, fitLoadRiskModel, historyRiskInputs, PlanEvaluator, riskFeatureVector, twinHistory, twinModel, twinState,
} from '../src/twin/index.ts';
import { twinRows } from './twinFixtures.ts';

/** A log whose last `restDays` days carry no load (a long lay-off with the sessions logged as rest). */
function rowsEndingInRest(days: number, restDays: number, seed = 3) {
  return twinRows(days, undefined, seed).map((r, t) => (t >= days - restDays ? { ...r, srpeLoad: 0 } : r));
}

describe("the twin's acute:chronic ratio after a long lay-off", () => {
  it('is 4 on the first day back whatever the load, as the 7:28 ratio defines it (a chronic-load floor would hide it)', () => {
    const twin = buildTwin(rowsEndingInRest(200, 35), { draws: 0 });
    const evaluator = new PlanEvaluator(twinModel(twin));
    for (const load of [30, 300]) {
      const t = evaluator.run([load, 0, 0]);
      expect(t.acwr[0]).toBeCloseTo(4, 9);
      expect(t.acwr[2]).toBeCloseTo(4, 9);
    }
    expect(evaluator.run([0, 0, 0]).acwr[0]).toBe(0);
  });

  it('keeps the usual floor while the log is shorter than the 28-day window (earlier days are unknown, not rest)', () => {
    const twin = buildTwin(twinRows(10), { draws: 0 });
    const recent = twin.state.recentLoads;
    expect(recent.length).toBeLessThan(28);
    const t = new PlanEvaluator(twinModel(twin)).run([0]);
    const acute = recent.slice(-6).reduce((a, b) => a + b, 0) / 7;
    const chronic = recent.reduce((a, b) => a + b, 0) / 28;
    expect(t.acwr[0]).toBeCloseTo(acute / Math.max(chronic, 50), 9);
  });
});

describe('the risk model fit', () => {
  it('reaches the maximum of its penalized likelihood when returns after long lay-offs nearly always bring an injury', () => {
    // Logs with a 30-day break; injuries drawn from a known logistic in which the ratio's spike on return dominates.
    const rng = new Prng(11);
    const athletes = Array.from({ length: 40 }, (_, a) => {
      const rows = twinRows(260, undefined, 100 + a).map((r, t) => (t >= 150 && t < 180 ? { ...r, srpeLoad: 0 } : r));
      const clean = twinHistory(rows);
      const inputs = historyRiskInputs(clean, twinState(clean, '2000-01-01'));
      const drawn = rows.map((r, t) => {
        const x = inputs[t];
        if (!x) return r;
        const f = riskFeatureVector(x);
        const p = 1 / (1 + Math.exp(-(-6 + 2.4 * f[0]! + 0.6 * f[3]!)));
        return { ...r, injury: rng.bernoulli(p) ? (1 as const) : (0 as const) };
      });
      const history = twinHistory(drawn);
      return { history, state: twinState(history, '2000-01-01') };
    });
    const ridge = 10;
    const model = fitLoadRiskModel(athletes, ridge);
    const beta = [model.intercept, ...Object.values(model.coef)];
    const gradient = new Array<number>(beta.length).fill(0);
    for (const { history, state } of athletes) {
      historyRiskInputs(history, state).forEach((x, t) => {
        if (!x) return;
        const row = [1, ...riskFeatureVector(x)];
        const p = 1 / (1 + Math.exp(-row.reduce((s, v, i) => s + v * beta[i]!, 0)));
        row.forEach((v, i) => (gradient[i]! += (history.injury[t]! - p) * v));
      });
    }
    for (let i = 1; i < beta.length; i++) gradient[i]! -= ridge * beta[i]!;
    expect(model.fittedOn.injuries).toBeGreaterThan(30);
    for (const g of gradient) expect(Math.abs(g)).toBeLessThan(1e-3);
    expect(model.coef.acwrAbove).toBeGreaterThan(1);
    expect(model.coef.acwrAbove).toBeLessThan(4);
  });
});
