// Scratch: fast federated additive rounds outside the engine, for tuning on VALIDATION days (last 20% of each client's training days).
import { sliceExamples, concatExamples } from '@huddle/shared/data';
import { additiveContribution, applyAdditiveAggregate, additivePredict, initialAdditive, type ModelSettings } from '@huddle/shared/model';
import { Prng } from '@huddle/shared/random';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';

const [dataset = 'soccermon', task = 'readiness', grid = '{}', eval_ = 'val'] = process.argv.slice(2);
const o = resolveOptions({ dataset, task: task as 'readiness' | 'injury', ...(dataset === 'synthetic' ? { athletes: 200 } : {}) });
const data = loadSimDataset(o);
const cohort = buildCohort(data, { task: o.task, protocol: 'temporal', testFraction: 0.2, holdoutFraction: 0.2 });
const clients = cohort.clients.map((a) => {
  const cut = a.train.n - Math.round(a.train.n * 0.2);
  return eval_ === 'test' ? { fit: a.train, val: a.test } : { fit: sliceExamples(a.train, 0, cut), val: sliceExamples(a.train, cut, a.train.n) };
}).filter((c) => c.fit.n > 0);
const val = concatExamples(clients.map((c) => c.val));
const pooled = concatExamples(clients.map((c) => c.fit));

function score(p: Float32Array): string {
  if (task === 'injury') {
    const pairs = Array.from(p, (v, i) => [v, val.y[i]!] as const).sort((a, b) => a[0] - b[0]);
    let pos = 0, neg = 0, rank = 0;
    for (let i = 0; i < pairs.length; ) { let j = i; while (j < pairs.length && pairs[j]![0] === pairs[i]![0]) j++; const r = (i + j + 1) / 2; for (let k = i; k < j; k++) { if (pairs[k]![1] === 1) { rank += r; pos++; } else neg++; } i = j; }
    return `AUC ${((rank - pos * (pos + 1) / 2) / (pos * neg)).toFixed(4)}`;
  }
  let a = 0, s = 0;
  for (let i = 0; i < val.n; i++) { const e = Math.min(10, Math.max(0, p[i]!)) - val.y[i]!; a += Math.abs(e); s += e * e; }
  return `MAE ${(a / val.n).toFixed(4)} RMSE ${Math.sqrt(s / val.n).toFixed(4)}`;
}

const base: ModelSettings = task === 'injury'
  ? { kind: 'additive', target: 'level', loss: 'logistic', huberDelta: 1, learningRate: 0.3, l2: 0.01, monotone: true }
  : { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 0.3, l2: 0.01, monotone: true };
const variants: Partial<ModelSettings>[] = JSON.parse(grid).length ? JSON.parse(grid) : [{}];
const rounds = [0, 10, 30, 50, 100, 200];
console.log(`${dataset} ${task}: ${clients.length} clients, ${pooled.n} fit days, ${val.n} ${eval_} days`);
for (const v of variants) {
  const s = { ...base, ...v };
  for (const mode of (process.env.MODES ?? 'federated,pooled').split(',')) {
    let params = initialAdditive(s);
    const rng = new Prng(Number(process.env.SEED ?? 7));
    const out: string[] = [];
    out.push(`r0 ${score(additivePredict(o.task, s, params, val.x, val.n))}`);
    for (let r = 1; r <= Number(process.env.ROUNDS ?? 50); r++) {
      let mean: Float32Array;
      if (mode === 'pooled') mean = additiveContribution(o.task, s, params, pooled).vector;
      else {
        const order = clients.map((_, i) => i); rng.shuffle(order);
        const chosen = order.slice(0, 10).map((i) => clients[i]!);
        const parts = chosen.map((c) => additiveContribution(o.task, s, params, c.fit));
        const total = parts.reduce((t, p) => t + p.weight, 0);
        mean = new Float32Array(parts[0]!.vector.length);
        for (const p of parts) for (let i = 0; i < mean.length; i++) mean[i]! += (p.weight / total) * p.vector[i]!;
      }
      params = applyAdditiveAggregate(o.task, s, params, mean);
      if (rounds.includes(r)) out.push(`r${r} ${score(additivePredict(o.task, s, params, val.x, val.n))}`);
    }
    console.log(JSON.stringify(v), mode.padEnd(9), out.join(' | '));
  }
}

// The network with the engine's defaults (FedAvg of local SGD deltas), on the same clients and validation days.
if (process.env.NETWORK) {
  const { defaultTaskConfig } = await import('@huddle/shared/protocol');
  const { trainFast, modelSpec, networkFamily, legacyModelSettings } = await import('@huddle/shared/model');
  const { FEATURE_COUNT } = await import('@huddle/shared/features');
  const cfg = defaultTaskConfig(o.task, { model: legacyModelSettings(o.task) });
  const spec = modelSpec(o.task, FEATURE_COUNT);
  const settings = { ...legacyModelSettings(o.task), target: (process.env.NETWORK === 'change' ? 'change' : 'level') as 'change' | 'level' };
  let w = networkFamily.init(spec, 42, settings);
  const rng = new Prng(7);
  const out: string[] = [];
  for (let r = 1; r <= 30; r++) {
    const order = clients.map((_, i) => i); rng.shuffle(order);
    const chosen = order.slice(0, 10).map((i) => clients[i]!);
    const mean = new Float32Array(w.length);
    const total = chosen.reduce((t, c) => t + c.fit.n, 0);
    for (const c of chosen) {
      const y = settings.target === 'change' ? Float32Array.from(c.fit.y, (v, i) => v - (5 + 2.5 * c.fit.x[i * FEATURE_COUNT + 9]!)) : c.fit.y;
      const res = trainFast(spec, w, { x: c.fit.x, y, n: c.fit.n }, { epochs: cfg.fit.localEpochs, batchSize: cfg.fit.batchSize, learningRate: cfg.fit.learningRate, seed: r, proximalMu: 0 });
      let norm = 0; for (let i = 0; i < w.length; i++) norm += (res.weights[i]! - w[i]!) ** 2;
      const scale = Math.min(1, cfg.fit.clipNorm / Math.sqrt(norm));
      for (let i = 0; i < w.length; i++) mean[i]! += (c.fit.n / total) * scale * (res.weights[i]! - w[i]!);
    }
    for (let i = 0; i < w.length; i++) w[i]! += mean[i]!;
    if ([5, 10, 20, 30].includes(r)) out.push(`r${r} ${score(networkFamily.predict(spec, settings, w, val.x, val.n))}`);
  }
  console.log('network', settings.target, out.join(' | '));
}
