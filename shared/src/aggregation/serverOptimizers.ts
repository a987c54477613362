import { z } from 'zod';
import type { ServerOptimizer } from './strategy.ts';

/**
 * Server optimizers of Reddi et al. 2021, "Adaptive Federated Optimization" (Algorithm 2), and FedAvgM
 * (Hsu et al. 2019). The pseudo-gradient is the aggregated update (mean of client weights minus global
 * weights), so every step moves the model along it. No bias correction, as in the paper.
 */
export interface AdaptiveOptions {
  /** Server learning rate eta. */
  learningRate: number;
  beta1: number;
  beta2: number;
  /** Adaptivity tau: added to sqrt(v), and v starts at tau^2 (the paper's v_{-1} >= tau^2). */
  tau: number;
}

export interface MomentumOptions {
  learningRate: number;
  /** Momentum beta: v_t = beta v_{t-1} + delta_t. */
  momentum: number;
}

const vectorState = z.array(z.number().finite());
const adaptiveStateSchema = z.object({ kind: z.enum(['fedadam', 'fedyogi']), m: vectorState, v: vectorState });
const momentumStateSchema = z.object({ kind: z.literal('fedavgm'), velocity: vectorState });

type SecondMoment = (v: number, d2: number, beta2: number) => number;

const adamSecondMoment: SecondMoment = (v, d2, beta2) => beta2 * v + (1 - beta2) * d2;
const yogiSecondMoment: SecondMoment = (v, d2, beta2) => v - (1 - beta2) * d2 * Math.sign(v - d2);

function checkLengths(global: Float32Array, update: Float32Array): void {
  if (global.length !== update.length) throw new Error(`update has ${update.length} values, the model ${global.length}`);
}

function adaptive(kind: 'fedadam' | 'fedyogi', o: AdaptiveOptions, secondMoment: SecondMoment): ServerOptimizer {
  let m: Float64Array | null = null;
  let v: Float64Array | null = null;
  return {
    name: kind,
    step(global, update) {
      checkLengths(global, update);
      if (!m || !v || m.length !== global.length) {
        m = new Float64Array(global.length);
        v = new Float64Array(global.length).fill(o.tau * o.tau);
      }
      const out = new Float32Array(global.length);
      for (let i = 0; i < global.length; i++) {
        const d = update[i]!;
        m[i] = o.beta1 * m[i]! + (1 - o.beta1) * d;
        v[i] = secondMoment(v[i]!, d * d, o.beta2);
        out[i] = global[i]! + (o.learningRate * m[i]!) / (Math.sqrt(v[i]!) + o.tau);
      }
      return out;
    },
    state: () => (m && v ? { kind, m: Array.from(m), v: Array.from(v) } : null),
    restore(state) {
      if (state === null || state === undefined) {
        m = v = null;
        return;
      }
      const s = adaptiveStateSchema.parse(state);
      if (s.kind !== kind || s.m.length !== s.v.length) throw new Error(`optimizer state is not a ${kind} state`);
      m = Float64Array.from(s.m);
      v = Float64Array.from(s.v);
    },
  };
}

export function fedAdamOptimizer(o: AdaptiveOptions): ServerOptimizer {
  return adaptive('fedadam', o, adamSecondMoment);
}

export function fedYogiOptimizer(o: AdaptiveOptions): ServerOptimizer {
  return adaptive('fedyogi', o, yogiSecondMoment);
}

export function fedAvgMOptimizer(o: MomentumOptions): ServerOptimizer {
  let velocity: Float64Array | null = null;
  return {
    name: 'fedavgm',
    step(global, update) {
      checkLengths(global, update);
      if (!velocity || velocity.length !== global.length) velocity = new Float64Array(global.length);
      const out = new Float32Array(global.length);
      for (let i = 0; i < global.length; i++) {
        velocity[i] = o.momentum * velocity[i]! + update[i]!;
        out[i] = global[i]! + o.learningRate * velocity[i]!;
      }
      return out;
    },
    state: () => (velocity ? { kind: 'fedavgm', velocity: Array.from(velocity) } : null),
    restore(state) {
      velocity = state === null || state === undefined ? null : Float64Array.from(momentumStateSchema.parse(state).velocity);
    },
  };
}
