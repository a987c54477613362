import { checkTrainingInputs, trainFast, type KernelChoice } from './fastTrain.ts';
import { netShape } from './fastNet.ts';
import { trainMany, type TrainJob } from './trainMany.ts';
import { trainTf, type LocalTrainConfig, type LocalTrainResult, type TrainingData } from './trainTf.ts';
import type { ModelSpec } from './spec.ts';

/** What the client SDK calls to run local training; implementations must match `trainTf`'s semantics. */
export interface LocalTrainer {
  train(spec: ModelSpec, init: Float32Array, data: TrainingData, config: LocalTrainConfig): Promise<LocalTrainResult>;
}

export const tfjsTrainer: LocalTrainer = { train: trainTf };

/** `tfjsTrainer` with tfjs loaded on first use, so a bundle holding only the device trainer does not load it at start. */
const lazyTfjsTrainer: LocalTrainer = {
  async train(spec, init, data, config) {
    const { trainTf: reference } = await import('./trainTf.ts');
    return reference(spec, init, data, config);
  },
};

export function createFastTrainer(kernels: KernelChoice = 'auto'): LocalTrainer {
  return { train: async (spec, init, data, config) => trainFast(spec, init, data, config, kernels) };
}

export const fastTrainer: LocalTrainer = createFastTrainer();

export interface DeviceTrainerOptions {
  kernels?: KernelChoice;
  /** Used when the fast kernels fail to run here (not for bad input); default `tfjsTrainer`, tfjs imported only then. */
  fallback?: LocalTrainer;
  /** Told once, when the trainer switches to the fallback for good. */
  onFallback?: (error: unknown) => void;
}

/**
 * The trainer of a participating device (the browser worker, the Node client): the fast kernels, wasm SIMD where the
 * runtime has it and plain JS otherwise; tfjs only if the kernels cannot run at all. Bad input (a RangeError from
 * the shared checks) is refused, never retried on the fallback.
 */
export function createDeviceTrainer(options: DeviceTrainerOptions = {}): LocalTrainer {
  const kernels = options.kernels ?? 'auto';
  const fallback = options.fallback ?? lazyTfjsTrainer;
  let failed = false;
  return {
    async train(spec, init, data, config) {
      checkTrainingInputs(spec, netShape(spec).paramCount, init, data, config);
      if (failed) return fallback.train(spec, init, data, config);
      try {
        return trainFast(spec, init, data, config, kernels);
      } catch (error) {
        failed = true;
        options.onFallback?.(error);
        return fallback.train(spec, init, data, config);
      }
    },
  };
}

interface Pending extends TrainJob {
  spec: ModelSpec;
  resolve(result: LocalTrainResult): void;
  reject(error: unknown): void;
}

export interface BatchingTrainerOptions {
  kernels?: KernelChoice;
  /** Trains one flushed group of same-spec jobs; defaults to `trainMany` with `kernels`. */
  runBatch?: (spec: ModelSpec, jobs: TrainJob[]) => LocalTrainResult[];
}

/**
 * A trainer that collects `train` calls until a `setTimeout(0)` flush (so at least every call made in
 * the current macrotask and its microtasks) and trains them in one `trainMany` pass per distinct spec.
 * Each caller gets its own result, identical to `trainFast` on its arguments. `init` and `config` are
 * copied at call time; `data` is read at flush time, so it must not change while the promise is pending.
 */
export function createBatchingTrainer(options: BatchingTrainerOptions = {}): LocalTrainer {
  const kernels = options.kernels ?? 'auto';
  const runBatch = options.runBatch ?? ((spec, jobs) => trainMany(spec, jobs, kernels));
  let queue: Pending[] = [];
  let scheduled = false;

  const flush = (): void => {
    const batch = queue;
    queue = [];
    scheduled = false;
    const groups = new Map<string, Pending[]>();
    for (const job of batch) {
      const key = JSON.stringify(job.spec);
      const group = groups.get(key);
      if (group) group.push(job);
      else groups.set(key, [job]);
    }
    for (const group of groups.values()) {
      let results: LocalTrainResult[];
      try {
        results = runBatch(group[0]!.spec, group);
      } catch (error) {
        for (const job of group) job.reject(error);
        continue;
      }
      group.forEach((job, i) => job.resolve(results[i]!));
    }
  };

  return {
    train(spec, init, data, config) {
      return new Promise<LocalTrainResult>((resolve, reject) => {
        checkTrainingInputs(spec, netShape(spec).paramCount, init, data, config);
        queue.push({ spec, init: init.slice(), data, config: { ...config }, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setTimeout(flush, 0);
        }
      });
    },
  };
}
