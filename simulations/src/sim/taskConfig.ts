import { STRATEGY_DEFAULTS, type StrategyHyperparameters } from '@huddle/shared/aggregation';
import { hashString } from '@huddle/shared/random';
import { defaultModelSettings, defaultTaskConfig, taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';
import { flagOf } from './flags.ts';
import type { SimOptions } from './options.ts';
import { SimUsageError } from './usageError.ts';
import type { PrivacyPlan } from './privacy.ts';

/** Seeds derived from the run's seed, one per use, so changing one use never shifts another. */
export function derivedSeed(seed: number, use: string): number {
  return hashString(`${seed}|${use}`) & 0x7fffffff;
}

const MIN_EVALUATE_TIMEOUT_MS = 100;

export type SimTaskConfig = TaskConfig;

export interface TaskConfigContext {
  trainingClients: number;
  privacy: PrivacyPlan;
}

/**
 * The one place simulator options become the engine's task configuration; whatever the engine learns
 * to do (secure aggregation, DP, strategy hyperparameters) is wired here.
 */
export function taskConfigFor(o: SimOptions, ctx: TaskConfigContext): SimTaskConfig {
  const base = defaultTaskConfig(o.task, o.model ? { model: defaultModelSettings(o.task, o.model) } : {});
  const k = o.clientsPerRound;
  const minClients = o.minClients ?? Math.min(k, Math.max(o.secureAggregation ? 3 : 1, Math.floor(k / 2)));
  const noise = ctx.privacy.noiseMultiplier > 0 ? o.dpMode : 'none';
  const parsed = taskConfigSchema.safeParse({
    ...base,
    clientsPerRound: k,
    minClients,
    overSelection: o.overSelection,
    roundTimeoutMs: o.roundTimeoutMs,
    // Without federated evaluation no client answers, so the evaluate phase only has to time out.
    evaluateTimeoutMs: o.federatedEval ? base.evaluateTimeoutMs : MIN_EVALUATE_TIMEOUT_MS,
    evaluateClients: 0,
    fit: {
      localEpochs: o.localEpochs ?? base.fit.localEpochs,
      batchSize: o.batchSize ?? base.fit.batchSize,
      learningRate: o.learningRate ?? base.fit.learningRate,
      proximalMu: o.strategy === 'fedprox' ? (o.proximalMu ?? STRATEGY_DEFAULTS.proximalMu) : 0,
      clipNorm: o.clip ?? base.fit.clipNorm,
      seed: derivedSeed(o.seed, 'fit'),
    },
    strategy: o.strategy,
    strategyOptions: strategyOptionsOf(o),
    ...(o.modelSettings ? { model: { ...base.model!, ...o.modelSettings } } : {}),
    modelSeed: derivedSeed(o.seed, 'model'),
    secureAggregation: { ...base.secureAggregation, enabled: o.secureAggregation, neighbours: o.neighbours ?? null, threshold: o.threshold ?? null },
    privacy: {
      ...base.privacy,
      noise,
      noiseMultiplier: ctx.privacy.noiseMultiplier,
      delta: ctx.privacy.delta ?? base.privacy.delta,
      epsilonBudget: ctx.privacy.targetEpsilon,
      population: ctx.trainingClients,
    },
  });
  if (!parsed.success) throw new SimUsageError(parsed.error.issues.map((i) => `${flagOfConfigPath(i.path.map(String))}: ${i.message}`).join('\n'));
  return parsed.data;
}

/** Where the engine's task configuration comes from on the command line. */
const CONFIG_FLAGS: Record<string, string> = {
  strategy: '--strategy',
  minClients: '--min-clients',
  clientsPerRound: '--clients-per-round',
  'privacy.noise': '--dp-mode',
  'privacy.noiseMultiplier': '--noise-multiplier',
  'secureAggregation.neighbours': '--neighbours',
  'secureAggregation.threshold': '--threshold',
  'fit.clipNorm': '--clip',
};

function flagOfConfigPath(path: string[]): string {
  const joined = path.join('.');
  if (CONFIG_FLAGS[joined]) return CONFIG_FLAGS[joined];
  if (path[0] === 'strategyOptions' && path[1]) return flagOf(path[1]);
  if (path[0] === 'fit' && path[1]) return flagOf(path[1]);
  return joined === '' ? 'the engine refuses this configuration' : `the engine refuses ${joined}`;
}

/**
 * The engine's own rules (taskConfigSchema), checked before any data is loaded: the task configuration
 * these options would give on a federation of their size (the population only moves q, not validity).
 */
export function engineConfigProblems(o: SimOptions): string[] {
  const noiseMultiplier = o.noiseMultiplier ?? (o.targetEpsilon !== undefined ? 1 : 0);
  try {
    taskConfigFor(o, { trainingClients: o.athletes ?? o.clientsPerRound, privacy: { noiseMultiplier, delta: o.delta ?? null, samplingRate: 1, targetEpsilon: o.targetEpsilon ?? null } });
    return [];
  } catch (err) {
    if (err instanceof SimUsageError) return err.message.split('\n');
    throw err;
  }
}

export function strategyOptionsOf(o: SimOptions): StrategyHyperparameters {
  const h: StrategyHyperparameters = {};
  if (o.proximalMu !== undefined) h.proximalMu = o.proximalMu;
  if (o.serverLearningRate !== undefined) h.serverLearningRate = o.serverLearningRate;
  if (o.serverMomentum !== undefined) h.serverMomentum = o.serverMomentum;
  if (o.beta1 !== undefined) h.beta1 = o.beta1;
  if (o.beta2 !== undefined) h.beta2 = o.beta2;
  if (o.tau !== undefined) h.tau = o.tau;
  if (o.trimFraction !== undefined) h.trimFraction = o.trimFraction;
  return h;
}
