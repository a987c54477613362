/**
 * `pnpm bench gbdt-reference [--dataset soccermon] [--task readiness] [--json]`: Huddle's pooled boosted
 * trees against scikit-learn's HistGradientBoosting on the same features, the same training, validation
 * and test days, and the same targets (readiness: the change from changeReference). Benchmark only: it needs a
 * python3 with scikit-learn (Debian: apt-get install python3-sklearn) and is never a product dependency.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { parseOptions } from '../cli/args.ts';
import { concatExamples, temporalSplit } from '@huddle/shared/data';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { mae, rmse, rocAuc } from '@huddle/shared/metrics';
import { GBDT_VALIDATION_FRACTION } from '../baselines/gbdt/index.ts';
import { changeReference, gbdtPredictions } from '../sim/baselineResults.ts';
import { buildCohort } from '../sim/cohort.ts';
import { loadSimDataset } from '../sim/dataset.ts';
import { testSetOf } from '../sim/evaluation.ts';
import { resolveOptions } from '../sim/options.ts';

const SCRIPT = String.raw`
import json, sys
import numpy as np
import sklearn
from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
d, p, task = sys.argv[1], int(sys.argv[2]), sys.argv[3]
load = lambda name: np.fromfile(f"{d}/{name}", dtype=np.float64)
Xf, yf, Xv, yv, Xt = (load(n) for n in ["xf", "yf", "xv", "yv", "xt"])
Xf, Xv, Xt = Xf.reshape(-1, p), Xv.reshape(-1, p), Xt.reshape(-1, p)
out = {"version": sklearn.__version__}
def best(model, score):
    stages = list(model.staged_predict_proba(Xv) if task == "injury" else model.staged_predict(Xv))
    losses = [score(s) for s in stages]
    return int(np.argmin(losses)), losses
losses = ["log_loss"] if task == "injury" else ["absolute_error", "squared_error"]
for loss in losses:
    if task == "injury":
        m = HistGradientBoostingClassifier(loss=loss, learning_rate=0.1, max_iter=200, early_stopping=False, random_state=0).fit(Xf, yf)
        k, _ = best(m, lambda s: -np.mean(yv * np.log(np.clip(s[:, 1], 1e-15, 1)) + (1 - yv) * np.log(np.clip(1 - s[:, 1], 1e-15, 1))))
        pred = list(m.staged_predict_proba(Xt))[k][:, 1]
    else:
        m = HistGradientBoostingRegressor(loss=loss, learning_rate=0.1, max_iter=200, early_stopping=False, random_state=0).fit(Xf, yf)
        metric = (lambda s: np.mean(np.abs(s - yv))) if loss == "absolute_error" else (lambda s: np.mean((s - yv) ** 2))
        k, _ = best(m, metric)
        pred = list(m.staged_predict(Xt))[k]
    out[loss] = {"iterations": k + 1, "predictions": pred.tolist()}
print(json.dumps(out))
`;

export async function main(argv: string[]): Promise<number> {
  const program = new Command('bench gbdt-reference')
    .option('--dataset <name>', 'synthetic, soccermon or a daily-log CSV', 'soccermon')
    .option('--task <task>', 'injury or readiness', 'readiness')
    .option('--python <path>', 'a python3 with scikit-learn', '/usr/bin/python3')
    .option('--json', 'print one JSON object')
    .exitOverride();
  const parsed = parseOptions(program, argv);
  if (parsed !== null) return parsed;
  const f = program.opts<{ dataset: string; task: 'injury' | 'readiness'; python: string; json?: boolean }>();
  const o = resolveOptions({ dataset: f.dataset, task: f.task, ...(f.dataset === 'synthetic' && { athletes: 200 }) });
  const cohort = buildCohort(loadSimDataset(o), { task: o.task, protocol: 'temporal', testFraction: o.testFraction, holdoutFraction: 0.2 });
  const test = testSetOf(cohort);
  const readiness = o.task === 'readiness';
  const today = (ex: (typeof cohort.clients)[number]['train']): Float64Array => (readiness ? changeReference(ex) : new Float64Array(ex.n));
  // The same split as the pooled reference: the last days of each athlete's training period validate.
  const fit: { x: Float32Array; y: Float64Array }[] = [];
  const val: { x: Float32Array; y: Float64Array }[] = [];
  for (const a of cohort.clients) {
    const base = today(a.train);
    const { train, test: v } = temporalSplit(a.train, GBDT_VALIDATION_FRACTION);
    fit.push({ x: train.x, y: Float64Array.from(train.y, (y, i) => y - base[i]!) });
    val.push({ x: v.x, y: Float64Array.from(v.y, (y, i) => y - base[train.n + i]!) });
  }
  const testBase = Float64Array.from(cohort.evaluated.flatMap((a) => Array.from(today(a.test))));
  const join64 = (parts: Float64Array[]): Float64Array => Float64Array.from(parts.flatMap((p) => Array.from(p)));
  const dir = mkdtempSync(join(tmpdir(), 'huddle-gbdt-ref-'));
  try {
    writeFileSync(join(dir, 'xf'), Float64Array.from(concatExamples(cohort.clients.map((a) => temporalSplit(a.train, GBDT_VALIDATION_FRACTION).train)).x));
    writeFileSync(join(dir, 'yf'), join64(fit.map((p) => p.y)));
    writeFileSync(join(dir, 'xv'), Float64Array.from(concatExamples(cohort.clients.map((a) => temporalSplit(a.train, GBDT_VALIDATION_FRACTION).test)).x));
    writeFileSync(join(dir, 'yv'), join64(val.map((p) => p.y)));
    writeFileSync(join(dir, 'xt'), Float64Array.from(test.x));
    const py = spawnSync(f.python, ['-c', SCRIPT, dir, String(FEATURE_COUNT), o.task], { encoding: 'utf8', maxBuffer: 1 << 28 });
    if (py.status !== 0) {
      process.stderr.write(`scikit-learn reference unavailable (${f.python}): ${py.stderr || py.error?.message}\n`);
      return 1;
    }
    const sk = JSON.parse(py.stdout) as Record<string, { iterations: number; predictions: number[] }> & { version: string };
    const ours = gbdtPredictions(cohort, test);
    const score = (p: ArrayLike<number>) => (readiness ? { mae: mae(p, test.labels), rmse: rmse(p, test.labels) } : { auc: rocAuc(p, test.labels) });
    const rows: Record<string, unknown> = {};
    for (const [name, m] of Object.entries(ours.methods)) rows[`huddle ${name}`] = { ...score(m.predictions), ...ours.chosen[name] };
    for (const loss of readiness ? ['absolute_error', 'squared_error'] : ['log_loss']) {
      const p = sk[loss]!.predictions.map((v, i) => v + (readiness ? testBase[i]! : 0));
      rows[`sklearn ${sk.version} ${loss}`] = { ...score(p), iterations: sk[loss]!.iterations };
    }
    const summary = { dataset: f.dataset, task: o.task, testDays: test.labels.length, features: FEATURE_COUNT, rows };
    process.stdout.write(f.json ? `${JSON.stringify(summary)}\n` : `${Object.entries(rows).map(([k, v]) => `${k.padEnd(36)} ${JSON.stringify(v)}`).join('\n')}\n`);
    return 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
