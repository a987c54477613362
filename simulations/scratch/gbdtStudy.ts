// Scratch: pooled GBDT settings on VALIDATION days only (last 20% of each athlete's training days), against scikit-learn.
// (cd simulations && node --import tsx scratch/gbdtStudy.ts [soccermon] [sklearn])
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatExamples, temporalSplit } from '@huddle/shared/data';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { targetReference } from '@huddle/shared/model';
import { DEFAULT_GBDT_PARAMS, fitGbdt, GBDT_VALIDATION_FRACTION, predictGbdt, type GbdtParams } from '../src/baselines/gbdt/index.ts';
import { persistence } from '../src/baselines/readinessHeuristics.ts';
import { pooledMean, READINESS_SCALE_MIDPOINT } from '../src/sim/baselineResults.ts';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const [dataset = 'soccermon', withSk = ''] = process.argv.slice(2);
const o = resolveOptions({ dataset, task: 'readiness', ...(dataset === 'synthetic' && { athletes: 200 }) });
const cohort = buildCohort(loadSimDataset(o), { task: 'readiness', protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
const gm = pooledMean(cohort, READINESS_SCALE_MIDPOINT);
const parts = cohort.clients.map((a) => {
  // BASE=feature: the product's change reference (readiness_value: today, else the athlete's mean); default persistence.
  const base = process.env.BASE === 'feature' ? Float64Array.from({ length: a.train.n }, (_, i) => targetReference('readiness', { target: 'change' }, a.train.x, i * FEATURE_COUNT)) : persistence(a.train, a.features, a.rows, gm);
  const { train, test } = temporalSplit(a.train, GBDT_VALIDATION_FRACTION);
  return { train, test, yf: Float64Array.from(train.y, (y, i) => y - base[i]!), yv: Float64Array.from(test.y, (y, i) => y - base[train.n + i]!) };
});
const cat = (xs: Float64Array[]) => Float64Array.from(xs.flatMap((p) => Array.from(p)));
const fx = concatExamples(parts.map((p) => p.train));
const vx = concatExamples(parts.map((p) => p.test));
const fit = { x: fx.x, y: cat(parts.map((p) => p.yf)), rows: fx.n };
const val = { x: vx.x, y: cat(parts.map((p) => p.yv)), rows: vx.n };
console.log(`fit ${fit.rows} val ${val.rows}`);
if (withSk) {
  const dir = mkdtempSync('/tmp/gbdt-study-');
  writeFileSync(join(dir, 'xf'), Float64Array.from(fit.x));
  writeFileSync(join(dir, 'yf'), fit.y);
  writeFileSync(join(dir, 'xv'), Float64Array.from(val.x));
  writeFileSync(join(dir, 'yv'), val.y);
  const py = `
import sys, numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor as H
d, p = sys.argv[1], int(sys.argv[2])
L = lambda n: np.fromfile(f"{d}/{n}")
Xf, yf, Xv, yv = L("xf").reshape(-1, p), L("yf"), L("xv").reshape(-1, p), L("yv")
for loss, f in [("absolute_error", lambda s: np.mean(np.abs(s - yv))), ("squared_error", lambda s: np.sqrt(np.mean((s - yv) ** 2)))]:
    for kw in [{}, {"max_bins": 63}, {"l2_regularization": 1.0}, {"max_leaf_nodes": None, "max_depth": 4}]:
        m = H(loss=loss, learning_rate=0.1, max_iter=200, early_stopping=False, random_state=0, **kw).fit(Xf, yf)
        ls = [f(s) for s in m.staged_predict(Xv)]
        k = int(np.argmin(ls)); print(f"sklearn {loss} {kw} best {ls[k]:.4f} at {k+1}, at 100 {ls[99]:.4f}", flush=True)
`;
  const r = spawnSync('/usr/bin/python3', ['-c', py, dir, String(FEATURE_COUNT)], { encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  console.log(r.stdout, r.stderr);
}
const variants: Record<string, Partial<GbdtParams>> = JSON.parse(process.env.VARIANTS ?? '{}');
for (const [name, v] of Object.entries(variants)) {
  for (const loss of ['absolute', 'squared'] as const) {
    const t = performance.now();
    const r = fitGbdt(fit, FEATURE_COUNT, { ...DEFAULT_GBDT_PARAMS, ...v, loss }, val);
    const vl = r.validationLoss[r.iterations - 1]!;
    console.log(`${name.padEnd(28)} ${loss.padEnd(8)} ${(loss === 'squared' ? Math.sqrt(vl) : vl).toFixed(4)} trees ${r.iterations} ${((performance.now() - t) / 1000).toFixed(1)}s`);
  }
}
// Refit study, still on validation days only: iterations chosen on the last 20% of the fit days, then either that
// model or a refit on all fit days (same iteration count) scored on the validation days.
if (process.env.REFIT) {
  const inner = parts.map((p) => ({ ...temporalSplit(p.train, GBDT_VALIDATION_FRACTION), y: p.yf }));
  const fi = concatExamples(inner.map((p) => p.train));
  const vi = concatExamples(inner.map((p) => p.test));
  const innerFit = { x: fi.x, y: cat(inner.map((p) => p.y.subarray(0, p.train.n))), rows: fi.n };
  const innerVal = { x: vi.x, y: cat(inner.map((p) => p.y.subarray(p.train.n))), rows: vi.n };
  const score = (loss: 'absolute' | 'squared', pred: Float64Array) => {
    let s = 0;
    for (let i = 0; i < pred.length; i++) s += loss === 'absolute' ? Math.abs(pred[i]! - val.y[i]!) : (pred[i]! - val.y[i]!) ** 2;
    return loss === 'absolute' ? s / pred.length : Math.sqrt(s / pred.length);
  };
  for (const [name, v] of Object.entries(JSON.parse(process.env.REFIT) as Record<string, Partial<GbdtParams>>)) {
    for (const loss of ['absolute', 'squared'] as const) {
      const params = { ...DEFAULT_GBDT_PARAMS, ...v, loss };
      const r = fitGbdt(innerFit, FEATURE_COUNT, params, innerVal);
      const again = fitGbdt(fit, FEATURE_COUNT, { ...params, maxIterations: r.iterations });
      console.log(`${name.padEnd(28)} ${loss.padEnd(8)} trees ${r.iterations} no refit ${score(loss, predictGbdt(r.model, val.x, val.rows)).toFixed(4)} refit ${score(loss, predictGbdt(again.model, val.x, val.rows)).toFixed(4)}`);
    }
  }
}
