// Scratch: variants of the additive model's loss and server step, federated rounds of 10 clients, scored on VALIDATION
// days (last 20% of each client's training days). Usage: node --import tsx scratch/tuneStep.ts '[{...variant}]'
import { sliceExamples, concatExamples } from '@huddle/shared/data';
import { additiveLayout, slotsOf } from '../../shared/src/model/additive/layout.ts';
import { isotonicInPlace } from '../../shared/src/model/additive/isotonic.ts';
import { monotoneDirections } from '@huddle/shared/features';
import { Prng } from '@huddle/shared/random';
import { buildCohort } from '../src/sim/cohort.ts';
import { loadSimDataset } from '../src/sim/dataset.ts';
import { resolveOptions } from '../src/sim/options.ts';
import { featureIndex } from '@huddle/shared/features';
import { fitTrees, treeValue } from './residualTrees.ts';

interface V { loss?: string; delta?: number; lr?: number; l2?: number; decay?: number; smooth?: number; avgFrom?: number; ema?: number; rounds?: number; hfloor?: number; seed?: number; clients?: number; pooled?: boolean; pairs?: [number, number][]; k?: number; pl2?: number; plr?: number; famAlpha?: number; pull?: number; hmin?: number; topk?: number; gainScale?: boolean; cap?: number; cand?: string; greedy?: number; purify?: boolean; pgain?: string; pfrom?: number; keep0?: boolean; gema?: number; median?: string; buckets?: number; bmax?: number; edges?: number[]; outer?: number; prior?: number; ilr?: number; kappa?: number; subsample?: number; center?: number; cycle?: boolean; window?: number; trees?: number; tdepth?: number; tlr?: number; tl2?: number; tmin?: number; tloss?: string; tdelta?: number; tpooled?: boolean; mix?: number; mixWith?: V; meanMix?: number; stale?: string }
const variants: V[] = JSON.parse(process.argv[2] ?? '[{}]');
const evalOn = process.argv[3] ?? 'val';
const o = resolveOptions({ dataset: process.env.DATASET ?? 'soccermon', task: 'readiness', ...(process.env.ATHLETES ? { athletes: Number(process.env.ATHLETES) } : {}) });
const data = loadSimDataset(o);
const cohort = buildCohort(data, { task: o.task, protocol: 'temporal', testFraction: 0.2, holdoutFraction: 0.2 });
import { FEATURE_BINS } from '../../shared/src/features/feature-bins.ts';
if (process.env.BINSCALE) for (const b of new Set(FEATURE_BINS)) if (b.count > 2) b.count = Math.max(3, Math.round(b.count * Number(process.env.BINSCALE)));
const layout = additiveLayout();
const F = layout.features, size = layout.size;
const RV = featureIndex('readiness_value');
type C = { slots: Int32Array; y: Float64Array; n: number };
function prep(d: { x: Float32Array; y: Float32Array; n: number }): C {
  const y = new Float64Array(d.n);
  for (let r = 0; r < d.n; r++) y[r] = d.y[r]! - (5 + 2.5 * d.x[r * F + RV]!);
  return { slots: slotsOf(d.x, d.n), y, n: d.n };
}
const split = cohort.clients.map((a) => {
  const cut = a.train.n - Math.round(a.train.n * 0.2);
  return evalOn === 'test' ? { fit: a.train, val: a.test } : { fit: sliceExamples(a.train, 0, cut), val: sliceExamples(a.train, cut, a.train.n) };
}).filter((c) => c.fit.n > 0);
const clients = split.map((c) => prep(c.fit));
const valRaw = concatExamples(split.map((c) => c.val));
const val = prep(valRaw);
const pooled = prep(concatExamples(split.map((c) => c.fit)));
const ref = Float64Array.from({ length: val.n }, (_, r) => 5 + 2.5 * valRaw.x[r * F + RV]!);

function scores(values: Float64Array, c: C): Float64Array {
  const out = new Float64Array(c.n);
  for (let r = 0; r < c.n; r++) { let s = values[0]!; for (let j = 0; j < F; j++) if (!layout.absorbed[j]) s += values[c.slots[r * F + j]!]!; for (let p = 0; p < PAIRS.length; p++) s += values[size + cell(c, r, p)]!; out[r] = s; }
  return out;
}
function score(values: Float64Array, extra?: Float64Array): string {
  const s = scores(values, val);
  if (extra) for (let r = 0; r < val.n; r++) s[r]! += extra[r]!;
  let a = 0, q = 0;
  for (let r = 0; r < val.n; r++) { const e = Math.min(10, Math.max(0, ref[r]! + s[r]!)) - (val.y[r]! + ref[r]!); a += Math.abs(e); q += e * e; }
  return `${(a / val.n).toFixed(4)}/${Math.sqrt(q / val.n).toFixed(4)}`;
}
function gh(v: V, r: number): [number, number] {
  const d = v.delta ?? 1;
  switch (v.loss ?? 'absolute') {
    case 'squared': return [r, 1];
    case 'huber': return [Math.max(-d, Math.min(d, r)), 1];
    case 'huberTrue': return [Math.max(-d, Math.min(d, r)), Math.abs(r) <= d ? 1 : (v.hfloor ?? 0.1)];
    case 'absolute': return [r > 0 ? 1 : r < 0 ? -1 : 0, 1];
    case 'absKde': return [r > 0 ? 1 : r < 0 ? -1 : 0, (Math.abs(r) < d ? 1 / (2 * d) : 0) + (v.hmin ?? 0)];
    case 'absScaled': return [Math.max(-1, Math.min(1, r / d)), Math.abs(r) <= d ? 1 / d : (v.hfloor ?? 0.1)];
    default: throw new Error(v.loss);
  }
}
function contribution(v: V, values: Float64Array, c: C): Float64Array {
  const s = scores(values, c);
  const PS = PAIRS.length * K * K;
  const acc = new Float64Array(2 * size + 2 * PS);
  for (let r = 0; r < c.n; r++) {
    const [g, h] = gh(v, s[r]! - c.y[r]!);
    acc[0]! += g; acc[size]! += h;
    for (let p = 0; p < PAIRS.length; p++) { const q = cell(c, r, p); acc[2 * size + q]! += g; acc[2 * size + PS + q]! += h; }
    for (let j = 0; j < F; j++) { if (layout.absorbed[j]) continue; const k = c.slots[r * F + j]!; acc[k]! += g; acc[size + k]! += h; }
  }
  return acc;
}
const dirs = monotoneDirections('readiness');
let PAIRS: [number, number][] = [];
let GAINS: number[] = [];
import { FEATURE_NAMES } from '@huddle/shared/features';
const fam = FEATURE_NAMES.map((n) => (n.startsWith('sleep_') ? n.split('_').slice(0, 2).join('_') : n.split('_')[0]!));
const famSize = fam.map((f) => fam.filter((g) => g === f).length);
let K = 6;
function candidatesAll(): [number, number][] {
  const free = FEATURE_NAMES.map((_, j) => j).filter((j) => !layout.absorbed[j] && layout.missingFlag[j]! < 0 && dirs[j] === 0);
  const out: [number, number][] = [];
  for (let i = 0; i < free.length; i++) for (let k = i + 1; k < free.length; k++) out.push([free[i]!, free[k]!]);
  return out;
}
function candidatesRz(): [number, number][] {
  const rz = featureIndex('readiness_z'), lt = featureIndex('load_today');
  const rest = FEATURE_NAMES.map((_, j) => j).filter((j) => j !== rz && j !== lt && !layout.absorbed[j] && layout.missingFlag[j]! < 0 && dirs[j] === 0);
  return [lt, ...rest].map((j) => [rz, j] as [number, number]);
}
function cell(c: C, r: number, p: number): number {
  const [a, b] = PAIRS[p]!;
  const g = (j: number) => { const bin = c.slots[r * F + j]! - layout.offset[j]!; return Math.max(0, Math.min(K - 1, Math.floor(((bin - 1) * K) / (layout.bins[j]! - 1)))); };
  return p * K * K + g(a) * K + g(b);
}
function step(v: V, values: Float64Array, mass: Float64Array, G: Float64Array, round: number, M?: Float64Array): void {
  const h0 = G[size]!;
  const lr = (v.lr ?? 0.1) * (v.decay ? (1 + v.decay) / (1 + v.decay * (round - 1) / ((v.rounds ?? 30) - 1)) : 1);
  const l2 = v.l2 ?? 0.01;
  for (let s = 0; s < size; s++) mass[s] = Math.max(0, G[size + s]!) / h0;
  mass[0] = 1;
  const bm = v.meanMix ?? 0; // median step blended with the mean (Newton, squared loss) step: needs loss 'squared' for G
  const med = (m: number, g: number, h: number) => (1 - bm) * m + bm * (h > 0 ? -g / h : 0);
  values[0]! += M ? (v.ilr ?? 1) * med(M[0]!, G[0]!, h0) : v.cap ? Math.max(-v.cap, Math.min(v.cap, -G[0]! / h0)) : -G[0]! / h0;
  const weights = new Float64Array(256);
  const st = new Float64Array(256);
  let allowed: Set<number> | null = null;
  if (v.topk) {
    const gains: [number, number][] = [];
    for (let j = 0; j < F; j++) { if (layout.absorbed[j]) continue; const from = layout.offset[j]!, count = layout.bins[j]!; let g = 0; for (let s = from; s < from + count; s++) { const h = Math.max(0, G[size + s]!); const gg = G[s]! - h * (G[0]! / h0); g += gg * gg / (h + l2 * h0); } gains.push([g, j]); }
    gains.sort((a, b) => b[0] - a[0]); allowed = new Set(gains.slice(0, v.topk).map((x) => x[1]));
  }
  for (let j = 0; j < F; j++) {
    if (layout.absorbed[j]) continue;
    if (allowed && !allowed.has(j)) continue;
    const from = layout.offset[j]!, count = layout.bins[j]!;
    for (let s = from; s < from + count; s++) { const h = Math.max(0, G[size + s]!); st[s - from] = M ? lr * (med(M[s]!, G[s]!, h) - med(M[0]!, G[0]!, h0)) * h / (h + l2 * h0) : (-lr * Math.pow(famSize[j]!, -(v.famAlpha ?? 0)) * (G[s]! - h * (G[0]! / h0))) / (h + l2 * h0); }
    if (v.cap) for (let b = 0; b < count; b++) st[b] = Math.max(-v.cap, Math.min(v.cap, st[b]!));
    if (v.smooth) { // smooth the step of the histogram bins (not the missing bin) over neighbours, mass-weighted
      const k = v.smooth; const sm = new Float64Array(count);
      for (let b = 1; b < count; b++) { let num = 0, den = 0; for (let d = -1; d <= 1; d++) { const bb = b + d; if (bb < 1 || bb >= count) continue; const w = (d === 0 ? 1 : k) * (mass[from + bb]! + 1e-4); num += w * st[bb]!; den += w; } sm[b] = num / den; }
      for (let b = 1; b < count; b++) st[b] = sm[b]!;
    }
    for (let s = from; s < from + count; s++) values[s]! += st[s - from]!;
    if (dirs[j] !== 0) { for (let b = 1; b < count; b++) weights[b - 1] = mass[from + b]! + 1e-4; isotonicInPlace(values, weights, from + 1, count - 1, dirs[j] as 1 | -1); }
    let t = 0, w = 0;
    for (let s = from; s < from + count; s++) { t += mass[s]!; w += mass[s]! * values[s]!; }
    if (t > 0) { for (let s = from; s < from + count; s++) values[s]! -= w / t; values[0]! += w / t; }
  }
  const PS = PAIRS.length * K * K;
  const KK = K * K;
  const plr = v.plr ?? lr, pl2 = (v.pl2 ?? l2) * h0;
  const stepOf = (p: number): { d: Float64Array; gain: number } => {
    const d = new Float64Array(KK), w = new Float64Array(KK), g = new Float64Array(KK);
    for (let c = 0; c < KK; c++) { const q = p * KK + c; const h = Math.max(0, G[2 * size + PS + q]!); g[c] = G[2 * size + q]! - h * (G[0]! / h0); w[c] = h + pl2; d[c] = M ? (med(M[size + q]!, G[2 * size + q]!, h) - med(M[0]!, G[0]!, h0)) * h / w[c]! : -g[c]! / w[c]!; }
    if (v.purify) for (let it = 0; it < 4; it++) {
      for (let a = 0; a < K; a++) { let num = 0, den = 0; for (let b = 0; b < K; b++) { num += w[a * K + b]! * d[a * K + b]!; den += w[a * K + b]!; } for (let b = 0; b < K; b++) d[a * K + b]! -= num / den; }
      for (let b = 0; b < K; b++) { let num = 0, den = 0; for (let a = 0; a < K; a++) { num += w[a * K + b]! * d[a * K + b]!; den += w[a * K + b]!; } for (let a = 0; a < K; a++) d[a * K + b]! -= num / den; }
    }
    let gain = 0; for (let c = 0; c < KK; c++) gain += -g[c]! * d[c]! - 0.5 * w[c]! * d[c]! * d[c]!;
    return { d, gain };
  };
  if (round < (v.pfrom ?? 1)) return;
  const steps = PAIRS.map((_, p) => ({ p, ...stepOf(p) }));
  if (v.gema) { if (GAINS.length !== steps.length) GAINS = steps.map(() => 0); steps.forEach((st, i) => { GAINS[i] = v.gema! * GAINS[i]! + (1 - v.gema!) * st.gain; st.gain = GAINS[i]!; }); }
  const pool = v.keep0 ? steps.slice(1) : steps;
  const chosen = v.greedy ? [...pool].sort((a, b) => b.gain - a.gain).slice(0, v.greedy) : steps;
  if (v.keep0) { const d = new Float64Array(KK); for (let c = 0; c < KK; c++) { const h = Math.max(0, G[2 * size + PS + c]!); d[c] = -(G[2 * size + c]! - h * (G[0]! / h0)) / (h + pl2); } chosen.push({ p: 0, d, gain: 0 }); }
  if (process.env.TRACEPAIR) console.log(round, chosen.map((c) => FEATURE_NAMES[PAIRS[c.p]![0]] + 'x' + FEATURE_NAMES[PAIRS[c.p]![1]] + ':' + c.gain.toExponential(2)).join(' '));
  for (const c of chosen) for (let q = 0; q < KK; q++) values[size + c.p * KK + q]! += plr * c.d[q]!;
}
let lastChosen: C[] = [];
let HISTS: Float64Array[] = [];
let SNAPS: Float64Array[] = [];
/** Per slot (and pair cell, after size), the median residual y - f of the round's days: exact, or from R fixed residual buckets. */
function medians(v: V, values: Float64Array, cs: C[]): Float64Array {
  const PS = PAIRS.length * K * K;
  const S = size + PS + 1; // last: every day's centred residual (center mode)
  const R = v.edges ? v.edges.length + 1 : v.buckets ?? 16, B = v.bmax ?? 4;
  // bucket edges: symmetric, finer near 0 (geometric), fixed
  const edges: number[] = [];
  const half = R / 2;
  for (let i = 1; i < half; i++) edges.push(B * Math.pow(i / half, 2));
  const E = v.edges ?? [...edges.map((e) => -e).reverse(), 0, ...edges]; // R-1 inner edges
  const OUT = v.outer ?? B + 1;
  const exact = v.median === 'exact';
  const lists: number[][] = exact ? Array.from({ length: S }, () => []) : [];
  const hist = exact ? new Float64Array(0) : new Float64Array(S * R);
  const bucketOf = (x: number) => { let lo = 0, hi = E.length; while (lo < hi) { const m = (lo + hi) >> 1; if (x < E[m]!) hi = m; else lo = m + 1; } return lo; };
  const ncl = new Float64Array(S);
  for (const c of cs) {
    const seen = new Uint8Array(S);
    const sc = scores(values, c);
    let mi = 0;
    if (v.center) { const rs = Array.from({ length: c.n }, (_, r) => c.y[r]! - sc[r]!).sort((a, b) => a - b); mi = v.center * rs[c.n >> 1]!; }
    for (let r = 0; r < c.n; r++) {
      const raw = c.y[r]! - sc[r]!;
      let res = raw;
      const add = (slot: number) => { if (!seen[slot]) { seen[slot] = 1; ncl[slot]! += 1; } if (exact) lists[slot]!.push(res); else hist[slot * R + bucketOf(res)]! += 1; };
      add(0);
      res = raw - mi;
      add(S - 1);
      for (let j = 0; j < F; j++) if (!layout.absorbed[j]) add(c.slots[r * F + j]!);
      for (let p = 0; p < PAIRS.length; p++) add(size + cell(c, r, p));
    }
  }
  if (v.window && !exact && v.stale) { // session 14: older rounds' counts shifted by the model's change since (own slot + intercept, or intercept only)
    HISTS.push(hist.slice()); SNAPS.push(values.slice()); if (HISTS.length > v.window) { HISTS.shift(); SNAPS.shift(); }
    const outS = new Float64Array(S);
    const cdf = (h: Float64Array, s: number, x: number) => { // count of residuals <= x, linear within buckets, outer to +-OUT
      let c = 0;
      for (let b = 0; b < R; b++) { const lo = b === 0 ? -OUT : E[b - 1]!, hi = b === R - 1 ? OUT : E[b]!; const n = h[s * R + b]! + (v.prior ?? 0.01) * tot0(h, s); if (x >= hi) c += n; else if (x > lo) c += n * (x - lo) / (hi - lo); }
      return c;
    };
    const tot0 = (h: Float64Array, s: number) => { let t = 0; for (let b = 0; b < R; b++) t += h[s * R + b]!; return t; };
    for (let s = 0; s < S; s++) {
      let total = 0; const shifts: number[] = [];
      for (let k = 0; k < HISTS.length; k++) {
        const snap = SNAPS[k]!;
        const d0 = values[0]! - snap[0]!;
        const own = s === 0 || (s >= size && v.stale !== 'ownp') ? 0 : values[s]! - snap[s]!;
        shifts.push(v.stale === 'zero' ? 0 : v.stale === 'int' ? d0 : v.stale === 'half' ? 0.5 * (d0 + own) : d0 + own);
        total += tot0(HISTS[k]!, s) * (1 + R * (v.prior ?? 0.01));
      }
      if (!total) continue;
      let lo = -OUT - 3, hi = OUT + 3;
      for (let it = 0; it < 40; it++) { const mid = (lo + hi) / 2; let c = 0; for (let k = 0; k < HISTS.length; k++) c += cdf(HISTS[k]!, s, mid + shifts[k]!); if (c < total / 2) lo = mid; else hi = mid; }
      outS[s] = (lo + hi) / 2;
    }
    return outS;
  }
  if (v.window && !exact) { // the last `window` rounds' summed counts (each at its own round's iterate), as a coordinator could keep them
    HISTS.push(hist.slice()); if (HISTS.length > v.window) HISTS.shift();
    hist.fill(0); for (const h of HISTS) for (let i = 0; i < hist.length; i++) hist[i]! += h[i]!;
  }
  const out = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    if (exact) { const l = lists[s]!; if (!l.length) continue; l.sort((a, b) => a - b); const m = l.length >> 1; out[s] = l.length % 2 ? l[m]! : 0.5 * (l[m - 1]! + l[m]!); continue; }
    let tot = 0; for (let b = 0; b < R; b++) tot += hist[s * R + b]!;
    if (!tot) continue;
    if (v.prior) { const add = v.prior * tot; for (let b = 0; b < R; b++) hist[s * R + b]! += add; tot += R * add; }
    let acc = 0;
    for (let b = 0; b < R; b++) {
      const h = hist[s * R + b]!;
      if (acc + h >= tot / 2) {
        const lo = b === 0 ? -OUT : E[b - 1]!, hi = b === R - 1 ? OUT : E[b]!;
        out[s] = lo + ((tot / 2 - acc) / h) * (hi - lo);
        break;
      }
      acc += h;
    }
  }
  if (v.center) for (let s = 1; s < S - 1; s++) out[s] = out[s]! - out[S - 1]! + out[0]!;
  if (v.kappa) for (let s = 1; s < S; s++) out[s] = out[0]! + (out[s]! - out[0]!) * ncl[s]! / (ncl[s]! + v.kappa);
  return out;
}
console.log(`${clients.length} clients, ${pooled.n} fit days, ${val.n} ${evalOn} days`);
function run(v: V): { final: Float64Array; extra?: Float64Array; out: string[] } {
  const R = v.rounds ?? 30;
  GAINS = [];
  HISTS = [];
  SNAPS = [];
  PAIRS = v.cand === 'rz' ? candidatesRz() : v.cand === 'all' ? candidatesAll() : v.pairs ?? []; K = v.k ?? 6;
  const PS = PAIRS.length * K * K;
  const values = new Float64Array(size + PS), mass = new Float64Array(size), avg = new Float64Array(size + PS);
  let navg = 0;
  const rng = new Prng(v.seed ?? 7);
  const queue: number[] = [];
  const out: string[] = [];
  const pick = (): number[] => {
    const m = v.clients ?? 10;
    if (v.cycle) { // without replacement across rounds: a shuffled pass over every client, refilled when it runs short
      const rest = queue.splice(0, m); if (rest.length < m) { const fresh = clients.map((_, i) => i).filter((i) => !rest.includes(i)); rng.shuffle(fresh); queue.push(...fresh); rest.push(...queue.splice(0, m - rest.length)); }
      return rest;
    }
    const order = clients.map((_, i) => i); rng.shuffle(order); return order.slice(0, m);
  };
  for (let r = 1; r <= R; r++) {
    const G = new Float64Array(2 * size + 2 * PS);
    if (v.subsample) {
      const keep: number[] = []; for (let r = 0; r < pooled.n; r++) if (rng.uniform(0, 1) < v.subsample) keep.push(r);
      const sub: C = { slots: new Int32Array(keep.length * F), y: new Float64Array(keep.length), n: keep.length };
      keep.forEach((r, i) => { sub.y[i] = pooled.y[r]!; sub.slots.set(pooled.slots.subarray(r * F, r * F + F), i * F); });
      lastChosen = [sub];
      const a = contribution(v, values, sub); for (let i = 0; i < G.length; i++) G[i] = a[i]! / sub.n;
    } else if (v.pooled) { const a = contribution(v, values, pooled); for (let i = 0; i < G.length; i++) G[i] = a[i]! / pooled.n; }
    else {
      const chosen = pick().map((i) => clients[i]!);
      lastChosen = chosen;
      const tot = chosen.reduce((t, c) => t + c.n, 0);
      for (const c of chosen) { const a = contribution(v, values, c); for (let i = 0; i < G.length; i++) G[i]! += a[i]! / tot; }
    }
    const M = v.median ? medians(v, values, v.pooled ? [pooled] : lastChosen) : undefined;
    step(v, values, mass, G, r, M);
    if (v.ema) { navg = 1; for (let i = 0; i < values.length; i++) { avg[i] = v.ema * avg[i]! + (1 - v.ema) * values[i]!; if (v.pull) values[i]! += v.pull * (avg[i]! - values[i]!); } }
    if (v.avgFrom && r >= v.avgFrom) { navg++; for (let i = 0; i < values.length; i++) avg[i]! += (values[i]! - avg[i]!) / navg; }
    if (r === 10 || r === 20 || r === R) out.push(`r${r} ${score(values)}${v.ema ? ' avg ' + score(avg) : ''}`);
  }
  if (v.avgFrom || v.ema) out.push(`avg ${score(avg)}`);
  const final = v.avgFrom || v.ema ? avg : values;
  if (v.mix && v.mixWith) { // forecast = this model + mix x (a companion fitted on the same rounds' clients - this model)
    const other = run({ ...v.mixWith, seed: v.seed });
    const a = scores(final, val), b = scores(other.final, val);
    const extra = Float64Array.from({ length: val.n }, (_, r) => v.mix! * (b[r]! + (other.extra?.[r] ?? 0) - a[r]!));
    return { final, extra, out };
  }
  if (!v.trees) return { final, out };
  const o = { trees: v.trees, depth: v.tdepth ?? 2, lr: v.tlr ?? 0.5, l2: v.tl2 ?? 10, minShare: v.tmin ?? 0.02, loss: v.tloss ?? 'squared', delta: v.tdelta ?? 1 };
  const all = clients.map((_, i) => i);
  const { trees, rounds } = fitTrees(o, clients, clients.map((c) => scores(final, c)), v.tpooled ? () => all : pick);
  const extra = Float64Array.from({ length: val.n }, (_, r) => trees.reduce((t, tr) => t + treeValue(tr, val, r), 0));
  out.push(`+${trees.length} trees (${rounds} rounds) ${score(final, extra)}`);
  return { final, extra, out };
}
const SEEDS = (process.env.SEEDS ?? '7,3,11').split(',').map(Number);
for (const v of variants) {
  const res = SEEDS.map((seed) => run({ ...v, seed }));
  const sc = res.map((r) => score(r.final, r.extra).split('/').map(Number));
  const m = sc.reduce((a, b) => [a[0]! + b[0]! / sc.length, a[1]! + b[1]! / sc.length], [0, 0]);
  console.log(JSON.stringify(v).padEnd(64), `mean ${m[0]!.toFixed(4)}/${m[1]!.toFixed(4)}`, '  seeds', sc.map((x) => x.join('/')).join(' '), process.env.TRACE ? res[0]!.out.join(' | ') : '');
}
