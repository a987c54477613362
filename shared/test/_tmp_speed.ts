import { trainFast } from '../src/model/fastTrain.ts';
import { initialWeights } from '../src/model/init.ts';
import type { ModelSpec } from '../src/model/spec.ts';
import { Prng } from '../src/random/prng.ts';
const spec: ModelSpec = { task: 'injury', inputSize: 24, layers: [{ units: 64, activation: 'relu' }, { units: 32, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], loss: 'binaryCrossentropy', labelScale: 1 };
const n = 2048, f = 24; const r = new Prng(1);
const x = new Float32Array(n*f).map(() => r.normal()); const y = new Float32Array(n).map(() => r.next() < 0.3 ? 1 : 0);
const init = initialWeights(spec, 1);
const B = Number(process.argv[2] ?? 32);
const cfg = { epochs: 1, batchSize: B, learningRate: 0.05, seed: 1, proximalMu: 0 };
for (let rep = 0; rep < 5; rep++) {
  const t = performance.now(); const E = 5;
  for (let e = 0; e < E; e++) trainFast(spec, init, { x, y, n }, { ...cfg, seed: e }, (process.argv[3] ?? 'auto') as 'js');
  const dt = (performance.now() - t) / 1000; console.log('samples/s', Math.round(n * E / dt));
}
