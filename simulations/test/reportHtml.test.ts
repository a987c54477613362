import { describe, expect, it } from 'vitest';
import { renderReport } from '../src/report/html.ts';
import { runSimulation } from '../src/sim/runSimulation.ts';
import type { SimResults } from '../src/sim/resultsSchema.ts';

/** Anything a browser would fetch: absolute URLs, protocol-relative ones, or resource attributes. */
const EXTERNAL = /(https?:|ftp:|\/\/[a-z0-9.-]+\.[a-z]{2,}|<script|<link|<img|<iframe|src=|href=|@import|url\()/i;

describe('HTML report', () => {
  it('is one self-contained page with inline SVG plots and no external references', async () => {
    const base = { dataset: 'synthetic', athletes: 12, days: 150, rounds: 3, clientsPerRound: 4, delta: 1e-5 } as const;
    const points: { label: string; results: SimResults }[] = [];
    for (const noiseMultiplier of [0, 0.5, 1]) points.push({ label: `z=${noiseMultiplier}`, results: await runSimulation({ ...base, noiseMultiplier }) });
    const readiness = await runSimulation({ ...base, task: 'readiness' });

    const single = renderReport([points[0]!]);
    const sweep = renderReport(points, 'noise sweep <&>');
    const regression = renderReport([{ label: 'readiness', results: readiness }]);
    for (const html of [single, sweep, regression]) {
      expect(html.startsWith('<!doctype html>')).toBe(true);
      expect(html).not.toMatch(EXTERNAL);
      expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(2);
    }
    expect(single).toMatch(/AUC per round/);
    expect(single).toMatch(/AUC by sex/);
    expect(single).toMatch(/Calibration/);
    // Intervals beside every final value, paired comparisons, error bars on the subgroup charts.
    const fed = points[0]!.results.final.federated;
    if (fed.kind !== 'binary') throw new Error('injury results are binary');
    expect(single).toContain(`${fed.auc!.toFixed(3)} <span class="muted">[${fed.ci.auc.lo!.toFixed(3)}, ${fed.ci.auc.hi!.toFixed(3)}]</span>`);
    expect(single).toMatch(/Paired differences/);
    expect(single).toMatch(/class="error-bar"/);
    expect(single).toContain(`${fed.n} days, ${fed.positives} positive (${fed.positiveAthletes} of ${fed.athletes} athletes)`);
    expect(regression).toMatch(/pooled GBDT \(squared loss\)/);
    expect(regression).toMatch(/MAE by sport/);
    expect(sweep).toMatch(/Privacy-utility/);
    expect(sweep).toContain('noise sweep &lt;&amp;&gt;');
    expect(single).not.toMatch(/Privacy-utility/);
  });
});
