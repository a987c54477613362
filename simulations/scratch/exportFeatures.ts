// Scratch: dump features, labels and raw daily series for offline (scikit-learn) feature studies. Reference only.
import { writeFileSync } from 'node:fs';
import { temporalSplit } from '@huddle/shared/data';
import { FEATURE_NAMES, WELLNESS_ITEMS } from '@huddle/shared/features';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const [dataset = 'soccermon', out = '/tmp/q'] = process.argv.slice(2);
const o = resolveOptions({ dataset, task: 'readiness', ...(dataset === 'synthetic' ? { athletes: 200 } : {}) });
const cohort = buildCohort(loadSimDataset(o), { task: 'readiness', protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
const ex: string[] = [['athlete', 'day', 'split', 'y', ...FEATURE_NAMES].join(',')];
const raw: string[] = [['athlete', 'day', 'date', 'load', ...WELLNESS_ITEMS.map((i) => i.field)].join(',')];
const F = FEATURE_NAMES.length;
cohort.athletes.forEach((a, ai) => {
  const { train: fit, test: val } = temporalSplit(a.train, 0.2);
  for (const [split, e] of [['fit', fit], ['val', val], ['test', a.test]] as const) {
    for (let i = 0; i < e.n; i++) ex.push([ai, e.days[i], split, e.y[i], ...Array.from(e.x.subarray(i * F, (i + 1) * F), (v) => +v.toFixed(5))].join(','));
  }
  const byDate = new Map(a.rows.map((r) => [r.date, r]));
  a.features.dates.forEach((d, t) => {
    const r = byDate.get(d);
    raw.push([ai, t, d, r?.srpeLoad ?? '', ...WELLNESS_ITEMS.map((it) => r?.[it.field] ?? '')].join(','));
  });
});
writeFileSync(`${out}/${dataset}-examples.csv`, ex.join('\n'));
writeFileSync(`${out}/${dataset}-raw.csv`, raw.join('\n'));
console.log(ex.length - 1, raw.length - 1);
