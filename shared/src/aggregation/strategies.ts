import { z } from 'zod';
import type { FitConfig } from '../protocol/schemas.ts';
import { fedAvgAggregator, sgdServerOptimizer } from './fedavg.ts';
import { medianAggregator, trimmedMeanAggregator } from './robust.ts';
import { fedAdamOptimizer, fedAvgMOptimizer, fedYogiOptimizer } from './serverOptimizers.ts';
import { meanUpdate, type ServerOptimizer, type Strategy, type UpdateAggregator } from './strategy.ts';

export const STRATEGY_NAMES = ['fedavg', 'fedprox', 'fedadam', 'fedyogi', 'fedavgm', 'median', 'trimmed-mean'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** Hyperparameters a task may set; each strategy reads only its own and defaults the rest. */
export const strategyHyperparametersSchema = z
  .object({
    /** FedProx: the proximal weight mu sent to clients. */
    proximalMu: z.number().min(0).max(100),
    /** FedAdam, FedYogi, FedAvgM: server learning rate eta. */
    serverLearningRate: z.number().positive().max(100),
    /** FedAdam, FedYogi: first- and second-moment decay, and adaptivity tau. */
    beta1: z.number().min(0).lt(1),
    beta2: z.number().min(0).lt(1),
    tau: z.number().positive().max(10),
    /** FedAvgM: server momentum. */
    serverMomentum: z.number().min(0).lt(1),
    /** Trimmed mean: fraction of clients dropped at each end, per coordinate. */
    trimFraction: z.number().min(0).lt(0.5),
  })
  .partial()
  .strict();
export type StrategyHyperparameters = z.infer<typeof strategyHyperparametersSchema>;

/** Which strategies read each hyperparameter; setting one for another strategy is refused (taskConfigSchema). */
export const STRATEGY_HYPERPARAMETERS: Record<keyof StrategyHyperparameters, readonly StrategyName[]> = {
  proximalMu: ['fedprox'],
  serverLearningRate: ['fedadam', 'fedyogi', 'fedavgm'],
  beta1: ['fedadam', 'fedyogi'],
  beta2: ['fedadam', 'fedyogi'],
  tau: ['fedadam', 'fedyogi'],
  serverMomentum: ['fedavgm'],
  trimFraction: ['trimmed-mean'],
};

/** Robust rules that need each client's own update, which secure aggregation hides. */
export const INDIVIDUAL_UPDATE_STRATEGIES: readonly StrategyName[] = ['median', 'trimmed-mean'];

export interface StrategyOptions extends StrategyHyperparameters {
  name: StrategyName;
  /** The task's updates are only seen summed: strategies that need individual updates are refused. */
  secureAggregation?: boolean;
}

/** Defaults: FedProx mu from Li et al. 2020's grid; adaptive ones follow Reddi et al. 2021 (beta1 0.9, beta2 0.99, tau 1e-3). */
export const STRATEGY_DEFAULTS = {
  proximalMu: 0.01,
  adaptiveServerLearningRate: 0.01,
  beta1: 0.9,
  beta2: 0.99,
  tau: 1e-3,
  momentumServerLearningRate: 1,
  serverMomentum: 0.9,
  trimFraction: 0.1,
} as const;

export class StrategyConfigError extends Error {
  override name = 'StrategyConfigError';
}

/** Throws when the strategy needs each client's update but the task only reveals their sum. */
export function assertSecureAggregationCompatible(strategy: Pick<Strategy, 'name' | 'aggregator'>): void {
  if (strategy.aggregator.needsIndividualUpdates) {
    throw new StrategyConfigError(
      `strategy "${strategy.name}" needs each client's own update, but secure aggregation only reveals their sum: ` +
        'use fedavg, fedprox, fedadam, fedyogi or fedavgm, or turn secure aggregation off',
    );
  }
}

export function createStrategy(options: StrategyOptions): Strategy {
  const { name, secureAggregation, ...hyper } = options;
  const h = strategyHyperparametersSchema.parse(hyper);
  const strategy = build(name, h);
  if (secureAggregation) assertSecureAggregationCompatible(strategy);
  return strategy;
}

const unchangedFit = (_round: number, base: FitConfig): FitConfig => base;

function plain(name: StrategyName, aggregator: UpdateAggregator, optimizer: ServerOptimizer = sgdServerOptimizer(1), configureFit = unchangedFit): Strategy {
  return {
    name,
    configureFit,
    aggregator,
    optimizer,
    // The aggregator's estimate (weighted mean, median...) already is the mean update: weight 1.
    reduceFit: (outcomes) => ({ sum: aggregator.aggregate(outcomes), weight: 1 }),
    aggregateFit: (global, fit) => optimizer.step(global, meanUpdate(fit)),
  };
}

function build(name: StrategyName, h: StrategyHyperparameters): Strategy {
  const adaptive = {
    learningRate: h.serverLearningRate ?? STRATEGY_DEFAULTS.adaptiveServerLearningRate,
    beta1: h.beta1 ?? STRATEGY_DEFAULTS.beta1,
    beta2: h.beta2 ?? STRATEGY_DEFAULTS.beta2,
    tau: h.tau ?? STRATEGY_DEFAULTS.tau,
  };
  switch (name) {
    case 'fedavg':
      return plain(name, fedAvgAggregator);
    case 'fedprox': {
      // An explicit mu wins; else a task that already asks for a proximal term keeps it.
      const mu = (base: FitConfig): number => h.proximalMu ?? (base.proximalMu > 0 ? base.proximalMu : STRATEGY_DEFAULTS.proximalMu);
      return plain(name, fedAvgAggregator, sgdServerOptimizer(1), (_round, base) => ({ ...base, proximalMu: mu(base) }));
    }
    case 'fedadam':
      return plain(name, fedAvgAggregator, fedAdamOptimizer(adaptive));
    case 'fedyogi':
      return plain(name, fedAvgAggregator, fedYogiOptimizer(adaptive));
    case 'fedavgm':
      return plain(
        name,
        fedAvgAggregator,
        fedAvgMOptimizer({
          learningRate: h.serverLearningRate ?? STRATEGY_DEFAULTS.momentumServerLearningRate,
          momentum: h.serverMomentum ?? STRATEGY_DEFAULTS.serverMomentum,
        }),
      );
    case 'median':
      return plain(name, medianAggregator);
    case 'trimmed-mean':
      return plain(name, trimmedMeanAggregator(h.trimFraction ?? STRATEGY_DEFAULTS.trimFraction));
  }
}
