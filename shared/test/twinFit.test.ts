import { describe, expect, it } from 'vitest';
import { buildTwin, DEFAULT_PRIOR, MIN_PERSONAL_DAYS, whatIf } from '../src/twin/index.ts';
import { quantile } from '../src/twin/numeric.ts';
import { TRUE_PARAMS, twinRows } from './twinFixtures.ts';

describe('fitting the twin to the athlete’s own log', () => {
  const twin = buildTwin(twinRows(300), { draws: 200 });

  it('recovers the response it was generated with: gains and fatigue time constant inside the posterior bands', () => {
    expect(twin.fit.source).toBe('personal');
    expect(twin.fit.daysUsed).toBeGreaterThan(250);
    // (The baseline is not comparable: the twin measures loads against the athlete's mean load, the fixture against 400 AU.)
    for (const key of ['fatigueTau', 'fitnessGain', 'fatigueGain', 'dayAfterGain'] as const) {
      const values = twin.fit.draws.map((d) => d[key]);
      expect(TRUE_PARAMS[key], key).toBeGreaterThanOrEqual(quantile(values, 0.025));
      expect(TRUE_PARAMS[key], key).toBeLessThanOrEqual(quantile(values, 0.975));
    }
    // Closer to the truth than the built-in prior's centre.
    expect(Math.abs(twin.fit.params.fatigueGain - TRUE_PARAMS.fatigueGain)).toBeLessThan(Math.abs(DEFAULT_PRIOR.fitnessGain.mean * Math.exp(DEFAULT_PRIOR.logGainRatio.mean) - TRUE_PARAMS.fatigueGain));
    expect(Math.abs(twin.fit.params.fatigueTau - TRUE_PARAMS.fatigueTau)).toBeLessThan(3);
    expect(twin.fit.residualSd).toBeGreaterThan(0.5);
    expect(twin.fit.residualSd).toBeLessThan(1);
  });

  it('says plainly when there is too little history: the population prior, and wider bands', () => {
    const short = buildTwin(twinRows(20), { draws: 200 });
    expect(short.fit.source).toBe('prior');
    expect(short.fit.daysUsed).toBeLessThan(MIN_PERSONAL_DAYS);
    expect(short.fit.note).toMatch(/^Too little history to fit your own twin \(\d+ usable days with readiness and load; 42 needed\): using the population prior, so the bands are wide\.$/);
    const plan = [0, 500, 450, 400, 300, 700, 200];
    const width = (t: typeof twin) => whatIf(t, plan).days.reduce((s, d) => s + (d.readinessBand[1] - d.readinessBand[0]), 0);
    expect(width(short)).toBeGreaterThan(1.5 * width(twin));
    expect(whatIf(short, plan).warnings[0]).toBe(short.fit.note);
  });

  it('an empty log still gives a usable (prior) twin dated by `today`', () => {
    const empty = buildTwin([], { today: '2026-03-01' });
    expect(empty.fit.source).toBe('prior');
    expect(empty.state.lastDate).toBe('2026-03-01');
    expect(whatIf(empty, [300]).days[0]!.date).toBe('2026-03-02');
  });

  it('what-if: harder weeks lower readiness, raise fatigue and risk', () => {
    const easy = whatIf(twin, [0, 300, 300, 300, 200, 400, 200]);
    const hard = whatIf(twin, [0, 800, 800, 800, 700, 900, 600]);
    expect(hard.days[6]!.fatigue).toBeGreaterThan(easy.days[6]!.fatigue);
    expect(hard.days[6]!.readiness).toBeLessThan(easy.days[6]!.readiness);
    expect(hard.weeklyRisk[0]!.risk).toBeGreaterThan(easy.weeklyRisk[0]!.risk);
    expect(hard.days[6]!.acwr).toBeGreaterThan(easy.days[6]!.acwr);
    for (const d of hard.days) {
      expect(d.readinessBand[0]).toBeLessThanOrEqual(d.readinessBand[1]);
      expect(d.riskBand[0]).toBeLessThanOrEqual(d.riskBand[1]);
    }
    expect(hard.warnings.some((w) => /acute:chronic ratio/.test(w))).toBe(true);
  });
});
