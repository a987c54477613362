import { initialWeights, type LocalTrainResult, type ModelSpec, type TrainJob } from '@huddle/shared/network';
import { Prng } from '@huddle/shared/random';

/** The workload of `bench train`; pure, so the Node rows and the browser worker train the same jobs. */
export interface TrainWorkload {
  clients: number;
  samples: number;
  batch: number;
  epochs: number;
}

/** K clients with ragged n (0.5x to 1.5x `samples`), their own initial weights and a learnable binary label. */
export function makeJobs(net: ModelSpec, opts: TrainWorkload): TrainJob[] {
  const rng = new Prng(7);
  const f = net.inputSize;
  return Array.from({ length: opts.clients }, (_, c) => {
    const n = Math.max(1, Math.round(opts.samples * (0.5 + rng.next())));
    const x = new Float32Array(n * f);
    const y = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < f; k++) {
        const v = rng.normal();
        x[i * f + k] = v;
        s += k % 4 === 0 ? v : 0;
      }
      y[i] = rng.next() < 1 / (1 + Math.exp(-s)) ? 1 : 0;
    }
    return { init: initialWeights(net, c), data: { x, y, n }, config: { epochs: opts.epochs, batchSize: opts.batch, learningRate: 0.05, seed: c, proximalMu: 0 } };
  });
}

export const samplesOf = (jobs: readonly TrainJob[]): number => jobs.reduce((s, j) => s + j.data.n * j.config.epochs, 0);

export interface Measured {
  samplesPerSecond: number;
  /** Samples trained in the timed window (after one untimed warm-up pass). */
  samples: number;
  seconds: number;
}

/** Runs `pass` (which trains some clients and returns how many samples it consumed) until the time budget is spent. */
export async function measure(seconds: number, pass: (round: number) => Promise<number> | number): Promise<Measured> {
  await pass(-1);
  let samples = 0;
  let round = 0;
  const start = performance.now();
  while (performance.now() - start < seconds * 1000) samples += await pass(round++);
  const elapsed = (performance.now() - start) / 1000;
  return { samplesPerSecond: samples / elapsed, samples, seconds: elapsed };
}

/** One client after another through a LocalTrainer-style call. */
export function oneAtATime(jobs: readonly TrainJob[], train: (job: TrainJob) => Promise<LocalTrainResult> | LocalTrainResult) {
  return async (round: number): Promise<number> => {
    const job = jobs[Math.max(0, round) % jobs.length]!;
    await train(job);
    return job.data.n * job.config.epochs;
  };
}
