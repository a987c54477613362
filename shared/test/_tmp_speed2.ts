import { trainFast, trainMany, FastWorkspace } from '../src/model/fast.ts';
import { initialWeights } from '../src/model/init.ts';
import { benchNet as spec, syntheticData } from './fastTrainFixtures.ts';
const jobs = Array.from({ length: 64 }, (_, c) => ({ init: initialWeights(spec, c), data: syntheticData('injury', 256 + ((c * 37) % 512), 24, c), config: { epochs: 1, batchSize: 32, learningRate: 0.05, seed: c, proximalMu: 0 } }));
const total = jobs.reduce((s, j) => s + j.data.n, 0);
const ws = new FastWorkspace(spec, 32);
const t = (name: string, f: () => void) => { f(); f(); const s = performance.now(); let reps = 0; while (performance.now() - s < 2000) { f(); reps++; } console.log(name.padEnd(14), Math.round(total * reps / ((performance.now() - s) / 1000))); };
for (let i = 0; i < 2; i++) {
t('trainFast', () => { for (const j of jobs) trainFast(spec, j.init, j.data, j.config); });
t('ws.train', () => { for (const j of jobs) ws.train(j.init, j.data, j.config); });
t('trainMany', () => { trainMany(spec, jobs); });
}
