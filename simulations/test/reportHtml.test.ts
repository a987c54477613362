import { describe, expect, it } from 'vitest';
import { chartJsUmd } from '@huddle/coordinator';
import { renderReport } from '../src/report/html.ts';
import { runSimulation } from '../src/sim/runSimulation.ts';
import type { SimResults } from '../src/sim/resultsSchema.ts';

/** Anything a browser would fetch: absolute URLs, protocol-relative ones, scripts with a source, or resource attributes. */
const EXTERNAL = /(https?:|ftp:|\/\/[a-z0-9.-]+\.[a-z]{2,}|<script[^>]*src|<link|<img|<iframe|src=|href=|@import|url\()/i;

describe('HTML report', () => {
  it('is one self-contained page with Chart.js inlined, its charts as data beside it, and no external references', async () => {
    const base = { dataset: 'synthetic', athletes: 12, days: 150, rounds: 3, clientsPerRound: 4, delta: 1e-5 } as const;
    const points: { label: string; results: SimResults }[] = [];
    for (const noiseMultiplier of [0, 0.5, 1]) points.push({ label: `z=${noiseMultiplier}`, results: await runSimulation({ ...base, noiseMultiplier }) });
    const readiness = await runSimulation({ ...base, task: 'readiness' });

    const single = renderReport([points[0]!]);
    const sweep = renderReport(points, 'noise sweep <&>');
    const regression = renderReport([{ label: 'readiness', results: readiness }]);
    const library = chartJsUmd();
    for (const html of [single, sweep, regression]) {
      expect(html.startsWith('<!doctype html>')).toBe(true);
      // The library is inlined once, verbatim (its licence header names its home page: not a reference).
      expect(html.split(library)).toHaveLength(2);
      expect(html.split(library).join('')).not.toMatch(EXTERNAL);
      expect(html).not.toMatch(/<svg/);
      const specs = [...html.matchAll(/<script type="application\/json" class="chart-spec">([^<]*)<\/script>/g)].map((m) => JSON.parse(m[1]!));
      expect(specs.length).toBeGreaterThanOrEqual(2);
      expect(html.match(/<canvas /g)!.length).toBe(specs.length);
      for (const spec of specs) expect(spec.options.scales.y.beginAtZero).toBe(true);
    }
    expect(single).toMatch(/AUC per round/);
    expect(single).toMatch(/AUC by sex/);
    expect(single).toMatch(/Calibration/);
    // Intervals beside every final value, paired comparisons, intervals in the subgroup charts' data tables.
    const fed = points[0]!.results.final.federated;
    if (fed.kind !== 'binary') throw new Error('injury results are binary');
    expect(single).toContain(`${fed.auc!.toFixed(3)} <span class="muted">[${fed.ci.auc.lo!.toFixed(3)}, ${fed.ci.auc.hi!.toFixed(3)}]</span>`);
    expect(single).toMatch(/Paired differences/);
    expect(single).toMatch(/<td>\d\.\d{4} \[\d\.\d{4}, \d\.\d{4}\]<\/td>/);
    expect(single).toContain(`${fed.n} days, ${fed.positives} positive (${fed.positiveAthletes} of ${fed.athletes} athletes)`);
    expect(regression).toMatch(/pooled GBDT \(squared loss\)/);
    expect(regression).toMatch(/MAE by sport/);
    expect(sweep).toMatch(/Privacy-utility/);
    expect(sweep).toContain('noise sweep &lt;&amp;&gt;');
    expect(single).not.toMatch(/Privacy-utility/);
  });
});
