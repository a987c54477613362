import type { FitConfig } from '../protocol/schemas.ts';
import { fedAvgAggregator, sgdServerOptimizer } from './fedavg.ts';
import type { Strategy } from './strategy.ts';

export const STRATEGY_NAMES = ['fedavg'] as const;
export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface StrategyOptions {
  name: StrategyName;
}

export function createStrategy(options: StrategyOptions): Strategy {
  switch (options.name) {
    case 'fedavg':
      return {
        name: 'fedavg',
        configureFit: (_round: number, base: FitConfig) => base,
        aggregator: fedAvgAggregator,
        optimizer: sgdServerOptimizer(1),
      };
  }
}
