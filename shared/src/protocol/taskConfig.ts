import { z } from 'zod';
import { INDIVIDUAL_UPDATE_STRATEGIES, STRATEGY_HYPERPARAMETERS, STRATEGY_NAMES, strategyHyperparametersSchema, type StrategyHyperparameters, type StrategyName } from '../aggregation/strategies.ts';
import { legacyModelSettings, modelSettingsProblem, modelSettingsSchema, type ModelSettings } from '../model/settings.ts';
import type { TaskId } from '../model/spec.ts';
import { fitConfigSchema, taskIdSchema } from './schemas.ts';

export const secureAggregationConfigSchema = z.object({
  enabled: z.boolean(),
  /** Neighbours per client in the masking graph; null = every other participant (classic SecAgg). */
  neighbours: z.number().int().min(2).max(255).nullable(),
  /** Shamir threshold t; null = the default for the neighbour count. */
  threshold: z.number().int().min(2).max(255).nullable(),
  /** Deadline of each key-exchange, masking and unmasking step. */
  phaseTimeoutMs: z.number().int().min(100).max(3_600_000),
  /** Rounds a client may be caught cheating (bad shares) before it is refused from secure rounds; default 3. */
  maxStrikesPerClient: z.number().int().min(1).max(1000).optional(),
});
export type SecureAggregationConfig = z.infer<typeof secureAggregationConfigSchema>;

export const privacyConfigSchema = z.object({
  /** none; central: the coordinator adds Gaussian noise to the sum; distributed: clients add discrete Gaussian shares before masking. */
  noise: z.enum(['none', 'central', 'distributed']),
  /** z: noise standard deviation on the sum is z x clip. */
  noiseMultiplier: z.number().min(0).max(1000),
  delta: z.number().gt(0).lt(1),
  /** Rounds that would take epsilon past this are refused; null = no budget. */
  epsilonBudget: z.number().positive().nullable(),
  /** Enrolled population for the sampling rate q = selected / population; null = clients known to the coordinator. */
  population: z.number().int().positive().nullable(),
  /** Adaptive clipping (Andrew et al. 2021): track this quantile of update norms; null = fixed clip. */
  adaptiveClipping: z
    .object({ targetQuantile: z.number().gt(0).lt(1), learningRate: z.number().positive().max(10), bitNoiseStd: z.number().min(0) })
    .nullable(),
});
export type PrivacyConfig = z.infer<typeof privacyConfigSchema>;

export const taskConfigSchema = z
  .object({
    task: taskIdSchema,
    /** Updates to wait for in a round. */
    clientsPerRound: z.number().int().min(1).max(100_000),
    /** Fewest updates a round may aggregate; fewer by the deadline abandons it. */
    minClients: z.number().int().min(1).max(100_000),
    /** Selects ceil(clientsPerRound * overSelection) clients to absorb dropouts. */
    overSelection: z.number().min(1).max(10),
    roundTimeoutMs: z.number().int().min(100).max(86_400_000),
    evaluateTimeoutMs: z.number().int().min(100).max(86_400_000),
    /** Clients asked to evaluate each new global model; 0 = every connected opted-in client. */
    evaluateClients: z.number().int().min(0).max(100_000),
    fit: fitConfigSchema,
    strategy: z.enum(STRATEGY_NAMES as unknown as [StrategyName, ...StrategyName[]]),
    /** Hyperparameters of the strategy (server learning rate, momentum, FedProx mu, trim fraction...); unset ones take defaults. */
    strategyOptions: strategyHyperparametersSchema,
    /** Seeds the initial model. */
    modelSeed: z.number().int().nonnegative(),
    secureAggregation: secureAggregationConfigSchema,
    privacy: privacyConfigSchema,
    /**
     * The model the task trains (fixed once rounds have run: the checkpoint's layout depends on it). Absent = the
     * network on the level target, what configurations saved before model choice trained.
     */
    model: modelSettingsSchema.optional(),
  })
  .refine((c) => c.minClients <= c.clientsPerRound, { message: 'minClients must not exceed clientsPerRound', path: ['minClients'] })
  .refine((c) => c.privacy.noise !== 'distributed' || c.secureAggregation.enabled, { message: 'distributed noise needs secure aggregation', path: ['privacy', 'noise'] })
  .refine((c) => c.privacy.noise === 'none' || c.privacy.noiseMultiplier > 0, { message: 'noise needs a positive noise multiplier', path: ['privacy', 'noiseMultiplier'] })
  .refine((c) => c.privacy.noise === 'none' || !c.privacy.adaptiveClipping || c.privacy.adaptiveClipping.bitNoiseStd > c.privacy.noiseMultiplier / 2, {
    // Andrew et al. 2021 Theorem 1: the clip bits (sensitivity 1/2) and the updates compose to noise multiplier z only when sigma_b > z / 2.
    message: 'adaptive clipping under DP needs bitNoiseStd above noiseMultiplier / 2 (the clip-bit count would otherwise spend more than the stated epsilon; 0 would publish it exactly)',
    path: ['privacy', 'adaptiveClipping', 'bitNoiseStd'],
  })
  .refine((c) => !c.secureAggregation.enabled || c.minClients >= 3, { message: 'secure aggregation needs minClients >= 3', path: ['minClients'] })
  .refine((c) => c.model === undefined || modelSettingsProblem(c.task, c.model) === null, { message: 'model settings do not fit the task (injury: logistic loss, level target; readiness: squared, huber or absolute loss)', path: ['model'] })
  .superRefine((c, ctx) => {
    if (c.secureAggregation.enabled && INDIVIDUAL_UPDATE_STRATEGIES.includes(c.strategy)) {
      const sums = STRATEGY_NAMES.filter((n) => !INDIVIDUAL_UPDATE_STRATEGIES.includes(n)).join(', ');
      ctx.addIssue({ code: 'custom', path: ['strategy'], message: `${c.strategy} needs each client's update, which secure aggregation hides: use one of ${sums}, or turn secure aggregation off` });
    }
    for (const key of Object.keys(c.strategyOptions) as (keyof StrategyHyperparameters)[]) {
      const readers = STRATEGY_HYPERPARAMETERS[key];
      if (c.strategyOptions[key] !== undefined && !readers.includes(c.strategy)) {
        ctx.addIssue({ code: 'custom', path: ['strategyOptions', key], message: `${key} only applies to strategy ${readers.join(' or ')}` });
      }
    }
  });
export type TaskConfig = z.infer<typeof taskConfigSchema>;

/**
 * Training defaults, the one definition the coordinator and the simulator both use; chosen on validation days inside
 * the training period (docs/models.md has the evidence). The additive model ignores the local SGD settings in `fit`.
 */
export const DEFAULT_MODEL_SETTINGS: Readonly<Record<TaskId, ModelSettings>> = {
  readiness: { kind: 'additive', target: 'change', loss: 'absolute', huberDelta: 1, learningRate: 0.15, l2: 0.01, monotone: true, smoothing: 0.5, averaging: 0.8, pairTerms: true, step: 'median', meanForecast: true },
  injury: { kind: 'additive', target: 'level', loss: 'logistic', huberDelta: 1, learningRate: 0.1, l2: 0.3, monotone: true, smoothing: 0.5, averaging: 0.8 },
};

/** The default settings of a model class for a task (the network: squared loss on the change for readiness). */
export function defaultModelSettings(task: TaskId, kind: ModelSettings['kind']): ModelSettings {
  const chosen = DEFAULT_MODEL_SETTINGS[task];
  if (chosen.kind === kind) return chosen;
  switch (kind) {
    case 'network':
      return { ...legacyModelSettings(task), target: task === 'readiness' ? 'change' : 'level' };
    case 'additive':
      return { ...chosen, kind };
    case 'trees':
      return DEFAULT_TREE_SETTINGS[task];
  }
}

/** The boosted trees' defaults (not the deployed default: docs/models.md compares them on validation days). */
export const DEFAULT_TREE_SETTINGS: Readonly<Record<TaskId, ModelSettings>> = {
  readiness: { kind: 'trees', target: 'change', loss: 'squared', huberDelta: 1, learningRate: 0.1, l2: 0.01, monotone: true, treeDepth: 3, treeCount: 64 },
  injury: { kind: 'trees', target: 'level', loss: 'logistic', huberDelta: 1, learningRate: 0.1, l2: 0.01, monotone: true, treeDepth: 3, treeCount: 64 },
};

/** Clip bound of the additive and tree models' contributions ([G/n, H/n] is larger than an SGD delta; see docs/models.md). */
export const ADDITIVE_CLIP_NORM = 20;

/** The task's model settings, legacy ones when the configuration predates model choice. */
export function taskModel(config: Pick<TaskConfig, 'task' | 'model'>): ModelSettings {
  return config.model ?? legacyModelSettings(config.task);
}

export function defaultTaskConfig(task: TaskConfig['task'], overrides: Partial<TaskConfig> = {}): TaskConfig {
  const model = overrides.model ?? DEFAULT_MODEL_SETTINGS[task];
  return taskConfigSchema.parse({
    task,
    clientsPerRound: 5,
    minClients: 3,
    overSelection: 1.3,
    roundTimeoutMs: 60_000,
    evaluateTimeoutMs: 30_000,
    evaluateClients: 0,
    fit: { localEpochs: 2, batchSize: 32, learningRate: task === 'injury' ? 0.1 : 0.05, proximalMu: 0, clipNorm: model.kind === 'network' ? 5 : ADDITIVE_CLIP_NORM, seed: 1 },
    strategy: 'fedavg',
    strategyOptions: {},
    modelSeed: 42,
    secureAggregation: { enabled: false, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 },
    privacy: { noise: 'none', noiseMultiplier: 0, delta: 1e-5, epsilonBudget: null, population: null, adaptiveClipping: null },
    model,
    ...overrides,
  });
}
