import { meanUpdate, type ServerOptimizer, type Strategy } from '@huddle/shared/aggregation';
import { learnsMeanForecast, modelFamily, RecentRounds, stepRounds, TREE_DEFAULTS, type ModelSettings, type ModelSpec, type WeightEntry } from '@huddle/shared/modelCore';
import { taskModel, type TaskConfig } from '@huddle/shared/protocol';

/** The engine's one view of a task's model family: layout, round-0 model, and the aggregation hook. */
export interface TaskModelRuntime {
  settings: ModelSettings;
  manifest: WeightEntry[];
  /** Layout of a client's contribution (what fit results and secure sums carry). */
  contribution: WeightEntry[];
  init(seed: number): Float32Array;
  /** A checkpoint's parameters in the current layout (see ModelFamily.resume). */
  resume(params: Float32Array): Float32Array;
  /**
   * The next global model from this round's (mean, possibly noised) contribution; the median step reads it with the
   * recent rounds' (stepRounds), which the checkpoint keeps (`recent`).
   */
  applyAggregate(params: Float32Array, mean: Float32Array, optimizer: ServerOptimizer, noiseStd?: number): Float32Array;
  /** Whether no round can change these parameters any more (ModelFamily.complete). */
  complete(params: Float32Array): boolean;
  /** The recent rounds' aggregates the next step reads, for the checkpoint; `restore` takes them back. */
  recent: { state(): number[][]; restore(state: readonly (readonly number[])[]): void };
  /** The same model with new settings; refuses a change of model kind (the checkpoint's layout depends on it). */
  withSettings(config: TaskConfig): TaskModelRuntime;
}

export function taskModelRuntime(config: TaskConfig, spec: ModelSpec): TaskModelRuntime {
  const settings = taskModel(config);
  const family = modelFamily(settings.kind);
  const recent = new RecentRounds(stepRounds(settings));
  return {
    settings,
    manifest: family.manifest(spec, settings),
    contribution: family.contributionManifest(spec, settings),
    init: (seed) => family.init(spec, seed, settings),
    resume: (params) => family.resume(params, settings),
    applyAggregate: (params, mean, optimizer, noiseStd = 0) => family.applyAggregate(spec, settings, params, recent.add(mean), optimizer, noiseStd),
    complete: (params) => family.complete(settings, params),
    recent,
    withSettings(next) {
      const kind = taskModel(next).kind;
      if (kind !== settings.kind) throw new Error(`the ${config.task} model is a ${settings.kind}; it cannot become a ${kind} once created`);
      if (learnsMeanForecast(taskModel(next)) !== learnsMeanForecast(settings)) {
        throw new Error(`the ${config.task} model ${learnsMeanForecast(settings) ? 'learns' : 'does not learn'} the mean forecast; that cannot change once created (the parameters' layout depends on it)`);
      }
      const shape = (m: ModelSettings) => `${m.treeCount ?? TREE_DEFAULTS.count} trees of depth ${m.treeDepth ?? TREE_DEFAULTS.depth}, ${m.treeLevelRounds ?? TREE_DEFAULTS.levelRounds} round(s) a level`;
      if (settings.kind === 'trees' && shape(taskModel(next)) !== shape(settings)) {
        throw new Error(`the ${config.task} model has ${shape(settings)}; that cannot change once created (the parameters' layout and progress depend on it)`);
      }
      return taskModelRuntime(next, spec);
    },
  };
}

/** The task's strategy with its aggregation step routed through the model family (the one hook of the engine). */
export function familyStrategy(strategy: Strategy, model: TaskModelRuntime): Strategy {
  return { ...strategy, aggregateFit: (global, fit) => model.applyAggregate(global, meanUpdate(fit), strategy.optimizer, fit.stats.meanNoiseStd ?? 0) };
}
