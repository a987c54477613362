import { FastWorkspace, epochOrderInto } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { benchNet as spec, syntheticData } from './fastTrainFixtures.ts';
const K = 64, n = 512, B = 32;
const data = Array.from({ length: K }, (_, c) => syntheticData('injury', n, 24, c));
const wss = Array.from({ length: K }, () => new FastWorkspace(spec, B));
const orders = data.map((_, c) => epochOrderInto(new Uint32Array(n), n, c, 0));
wss.forEach((w) => w.m.set(initialWeights(spec, 1), w.layout.weights));
const seq = () => { for (let c = 0; c < K; c++) for (let s = 0; s < n; s += B) { wss[c]!.gather(data[c]!, orders[c]!, s, B); wss[c]!.step(B, 1e-4, 0); } };
const lock = () => { for (let s = 0; s < n; s += B) for (let c = 0; c < K; c++) { wss[c]!.gather(data[c]!, orders[c]!, s, B); wss[c]!.step(B, 1e-4, 0); } };
const one = wss[0]!;
const single = () => { for (let c = 0; c < K; c++) for (let s = 0; s < n; s += B) { one.gather(data[c]!, orders[c]!, s, B); one.step(B, 1e-4, 0); } };
const t = (name: string, f: () => void) => { f(); const s = performance.now(); let r = 0; while (performance.now() - s < 1500) { f(); r++; } console.log(name.padEnd(28), Math.round(K * n * r / ((performance.now() - s) / 1000))); };
for (let i = 0; i < 3; i++) { t('sequential, K workspaces', seq); t('lockstep, K workspaces', lock); t('sequential, one workspace', single); }
