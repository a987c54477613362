import { STRATEGY_DEFAULTS, type StrategyHyperparameters } from '@huddle/shared/aggregation';
import { hashString } from '@huddle/shared/random';
import { defaultModelSettings, defaultTaskConfig, taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';
import { SimUsageError, type SimOptions } from './options.ts';
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
  if (!parsed.success) {
    throw new SimUsageError(`the engine refuses this configuration: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'task'}: ${i.message}`).join('; ')}`);
  }
  return parsed.data;
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
