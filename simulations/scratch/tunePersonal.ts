// Scratch: personalization variants on VALIDATION days (each athlete personalizes on its fit days, scored on the last 20% of its training days).
import { sliceExamples, concatExamples } from '@huddle/shared/data';
import { additivePredict, fitAdditive, initialAdditive, type ModelSettings } from '@huddle/shared/model';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const o = resolveOptions({ dataset: 'soccermon', task: 'readiness' });
const cohort = buildCohort(loadSimDataset(o), { task: o.task, protocol: 'temporal', testFraction: 0.2, holdoutFraction: 0.2 });
const clients = cohort.clients.map((a) => { const cut = a.train.n - Math.round(a.train.n * 0.2); return { fit: sliceExamples(a.train, 0, cut), val: sliceExamples(a.train, cut, a.train.n) }; }).filter((c) => c.fit.n > 0 && c.val.n > 0);
const s: ModelSettings = { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 0.1, l2: 0.01, monotone: true };
const global = fitAdditive('readiness', s, initialAdditive(s), concatExamples(clients.map((c) => c.fit)), 30);
function score(name: string, personal: (fit: (typeof clients)[number]['fit']) => Float32Array): void {
  let a = 0, q = 0, n = 0;
  for (const c of clients) {
    const p = additivePredict('readiness', s, personal(c.fit), c.val.x, c.val.n);
    for (let i = 0; i < c.val.n; i++) { const e = p[i]! - c.val.y[i]!; a += Math.abs(e); q += e * e; n++; }
  }
  console.log(name.padEnd(40), 'MAE', (a / n).toFixed(4), 'RMSE', Math.sqrt(q / n).toFixed(4));
}
score('global', () => global);
for (const [steps, l2, lr] of [[3, 0.2, 0.1], [3, 1, 0.1], [3, 10, 0.1], [10, 10, 0.1], [3, 1, 0.03], [10, 3, 0.03]] as const) score(`steps ${steps} l2 ${l2} lr ${lr}`, (fit) => fitAdditive('readiness', { ...s, l2, learningRate: lr }, global, fit, steps));
for (const k of [10, 30, 100]) score(`median offset, shrink ${k}`, (fit) => {
  const p = additivePredict('readiness', s, global, fit.x, fit.n);
  const r = Array.from(fit.y, (y, i) => y - p[i]!).sort((u, v) => u - v);
  const med = r.length % 2 ? r[(r.length - 1) / 2]! : (r[r.length / 2 - 1]! + r[r.length / 2]!) / 2;
  const out = global.slice(); out[0]! += med * (fit.n / (fit.n + k)); return out;
});
