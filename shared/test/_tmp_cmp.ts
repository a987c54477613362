import * as tf from '@tensorflow/tfjs';
import { trainTf } from '../src/model/trainTf.ts';
import { trainFast } from '../src/model/fastTrain.ts';
import { initialWeights } from '../src/model/init.ts';
import { modelSpec, type ModelSpec } from '../src/model/spec.ts';
import { Prng } from '../src/random/prng.ts';
await tf.setBackend('cpu');
function data(n: number, f: number, seed: number, task: string) {
  const r = new Prng(seed); const x = new Float32Array(n*f); const y = new Float32Array(n);
  for (let i=0;i<n;i++){ let s=0; for(let k=0;k<f;k++){const v=r.normal(); x[i*f+k]=v; s+=v*((k%3)-1);} y[i]= task==='injury' ? (r.next() < 1/(1+Math.exp(-s)) ? 1 : 0) : 5 + s; }
  return { x, y, n };
}
for (const task of ['injury','readiness'] as const) for (const mu of [0, 0.1]) for (const kern of ['js','wasm'] as const) {
  const spec = modelSpec(task, 12); const init = initialWeights(spec, 3); const d = data(103, 12, 5, task);
  const cfg = { epochs: 3, batchSize: 16, learningRate: 0.05, seed: 9, proximalMu: mu };
  const a = await trainTf(spec, init, d, cfg); const b = trainFast(spec, init, d, cfg, kern);
  let md = 0; for (let i=0;i<a.weights.length;i++) md = Math.max(md, Math.abs(a.weights[i]!-b.weights[i]!));
  console.log(task, mu, kern, 'maxdiff', md, 'loss', a.loss, b.loss, Math.abs(a.loss-b.loss)/Math.abs(a.loss), a.steps, b.steps);
}
