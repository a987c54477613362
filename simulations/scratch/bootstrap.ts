// Scratch: 95% intervals bootstrapped over athletes (2000 resamples) on TEST days, for the additive model
// (federated rounds replayed outside the engine with the engine's maths, 10 clients a round; and pooled), persistence and athlete mean.
import { additiveContribution, additivePredict, applyAdditiveAggregate, fitAdditive, initialAdditive } from '@huddle/shared/model';
import { DEFAULT_MODEL_SETTINGS } from '@huddle/shared/protocol';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { Prng } from '@huddle/shared/random';
import { buildCohort, pooledTraining } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const seed = Number(process.argv[2] ?? 1);
const o = resolveOptions({ dataset: 'soccermon', task: 'readiness' });
const cohort = buildCohort(loadSimDataset(o), { task: 'readiness', protocol: 'temporal', testFraction: 0.2, holdoutFraction: 0.2 });
const s = DEFAULT_MODEL_SETTINGS.readiness;
let fed = initialAdditive(s);
const rng = new Prng(seed);
const clients = cohort.clients.filter((a) => a.train.n > 0);
for (let r = 0; r < 30; r++) {
  const order = clients.map((_, i) => i); rng.shuffle(order);
  const parts = order.slice(0, 10).map((i) => additiveContribution('readiness', s, fed, clients[i]!.train));
  const total = parts.reduce((t, p) => t + p.weight, 0);
  const mean = new Float32Array(parts[0]!.vector.length);
  for (const p of parts) for (let i = 0; i < mean.length; i++) mean[i]! += (p.weight / total) * p.vector[i]!;
  fed = applyAdditiveAggregate('readiness', s, fed, mean);
}
const pooled = fitAdditive('readiness', s, initialAdditive(s), pooledTraining(cohort), 30);
type Errs = { abs: number; sq: number; n: number };
const methods: Record<string, Errs[]> = { federated: [], pooled: [], persistence: [], athleteMean: [] };
for (const a of cohort.evaluated) {
  const t = a.test;
  if (t.n === 0) continue;
  const ownMean = a.own.n > 0 ? a.own.y.reduce((x, y) => x + y, 0) / a.own.n : 5;
  const preds: Record<string, ArrayLike<number>> = {
    federated: additivePredict('readiness', s, fed, t.x, t.n),
    pooled: additivePredict('readiness', s, pooled, t.x, t.n),
    persistence: Array.from({ length: t.n }, (_, i) => 5 + 2.5 * t.x[i * FEATURE_COUNT + 9]!),
    athleteMean: Array.from({ length: t.n }, () => ownMean),
  };
  for (const [m, p] of Object.entries(preds)) {
    let abs = 0, sq = 0;
    for (let i = 0; i < t.n; i++) { const e = p[i]! - t.y[i]!; abs += Math.abs(e); sq += e * e; }
    methods[m]!.push({ abs, sq, n: t.n });
  }
}
const boot = new Prng(99);
const A = methods.federated!.length;
const stat = (errs: Errs[], idx: number[]) => { let a = 0, q = 0, n = 0; for (const i of idx) { a += errs[i]!.abs; q += errs[i]!.sq; n += errs[i]!.n; } return [a / n, Math.sqrt(q / n)] as const; };
const all = Array.from({ length: A }, (_, i) => i);
const samples: Record<string, [number, number][]> = {};
const diffs: Record<string, [number, number][]> = {};
for (let b = 0; b < 2000; b++) {
  const idx = Array.from({ length: A }, () => boot.int(A));
  const f = stat(methods.federated!, idx);
  for (const m of Object.keys(methods)) {
    const v = stat(methods[m]!, idx);
    (samples[m] ??= []).push([v[0], v[1]]);
    if (m !== 'federated') (diffs[m] ??= []).push([f[0] - v[0], f[1] - v[1]]);
  }
}
const ci = (xs: number[]) => { const s2 = [...xs].sort((x, y) => x - y); return `[${s2[Math.floor(0.025 * s2.length)]!.toFixed(3)}, ${s2[Math.floor(0.975 * s2.length)]!.toFixed(3)}]`; };
const days = methods.federated!.reduce((t, e) => t + e.n, 0);
console.log(`seed ${seed}: ${A} athletes, ${days} test days`);
for (const m of Object.keys(methods)) {
  const v = stat(methods[m]!, all);
  console.log(`${m.padEnd(12)} MAE ${v[0].toFixed(3)} ${ci(samples[m]!.map((x) => x[0]))}  RMSE ${v[1].toFixed(3)} ${ci(samples[m]!.map((x) => x[1]))}`);
}
for (const m of Object.keys(diffs)) console.log(`federated - ${m.padEnd(11)} MAE ${ci(diffs[m]!.map((x) => x[0]))}  RMSE ${ci(diffs[m]!.map((x) => x[1]))}`);
