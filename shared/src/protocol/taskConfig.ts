import { z } from 'zod';
import { INDIVIDUAL_UPDATE_STRATEGIES, STRATEGY_HYPERPARAMETERS, STRATEGY_NAMES, strategyHyperparametersSchema, type StrategyHyperparameters, type StrategyName } from '../aggregation/strategies.ts';
import { fitConfigSchema, taskIdSchema } from './schemas.ts';

export const secureAggregationConfigSchema = z.object({
  enabled: z.boolean(),
  /** Neighbours per client in the masking graph; null = every other participant (classic SecAgg). */
  neighbours: z.number().int().min(2).max(255).nullable(),
  /** Shamir threshold t; null = the default for the neighbour count. */
  threshold: z.number().int().min(2).max(255).nullable(),
  /** Deadline of each key-exchange, masking and unmasking step. */
  phaseTimeoutMs: z.number().int().min(100).max(3_600_000),
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
  })
  .refine((c) => c.minClients <= c.clientsPerRound, { message: 'minClients must not exceed clientsPerRound', path: ['minClients'] })
  .refine((c) => c.privacy.noise !== 'distributed' || c.secureAggregation.enabled, { message: 'distributed noise needs secure aggregation', path: ['privacy', 'noise'] })
  .refine((c) => c.privacy.noise === 'none' || c.privacy.noiseMultiplier > 0, { message: 'noise needs a positive noise multiplier', path: ['privacy', 'noiseMultiplier'] })
  .refine((c) => !c.secureAggregation.enabled || c.minClients >= 3, { message: 'secure aggregation needs minClients >= 3', path: ['minClients'] })
  .refine((c) => c.secureAggregation.enabled || c.secureAggregation.neighbours === null, { message: 'neighbours only applies with secure aggregation', path: ['secureAggregation', 'neighbours'] })
  .refine((c) => c.secureAggregation.enabled || c.secureAggregation.threshold === null, { message: 'threshold only applies with secure aggregation', path: ['secureAggregation', 'threshold'] })
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

export function defaultTaskConfig(task: TaskConfig['task'], overrides: Partial<TaskConfig> = {}): TaskConfig {
  return taskConfigSchema.parse({
    task,
    clientsPerRound: 5,
    minClients: 3,
    overSelection: 1.3,
    roundTimeoutMs: 60_000,
    evaluateTimeoutMs: 30_000,
    evaluateClients: 0,
    fit: { localEpochs: 2, batchSize: 32, learningRate: task === 'injury' ? 0.1 : 0.05, proximalMu: 0, clipNorm: 5, seed: 1 },
    strategy: 'fedavg',
    strategyOptions: {},
    modelSeed: 42,
    secureAggregation: { enabled: false, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 },
    privacy: { noise: 'none', noiseMultiplier: 0, delta: 1e-5, epsilonBudget: null, population: null, adaptiveClipping: null },
    ...overrides,
  });
}
