import { z } from 'zod';
import { STRATEGY_NAMES, type StrategyName } from '@huddle/shared/aggregation';
import { parseStragglers } from './stragglers.ts';

const posInt = z.number().int().positive();
const strategyEnum = z.enum(STRATEGY_NAMES as unknown as [StrategyName, ...StrategyName[]]);

/** Everything one simulation run depends on. The CLI, sweeps and tests all build one of these. */
export const simOptionsSchema = z
  .object({
    /** 'synthetic', 'soccermon' or the path of a daily-log CSV. */
    dataset: z.string().min(1).default('synthetic'),
    /** Synthetic: athletes generated. Other datasets: use only the first N athletes (by id); omit for all. */
    athletes: posInt.optional(),
    /** Synthetic only: days per athlete. */
    days: posInt.optional(),
    /** Synthetic only: seed of the generated data (independent of `seed`, so seeds can vary on fixed data). */
    dataSeed: z.number().int().nonnegative().default(1),
    task: z.enum(['injury', 'readiness']).default('injury'),
    rounds: posInt.default(20),
    clientsPerRound: posInt.default(10),
    /** Fewest updates a round may aggregate; default max(1, floor(clientsPerRound / 2)). */
    minClients: posInt.optional(),
    overSelection: z.number().min(1).max(10).default(1),
    /** Local epochs and batch size of the network; default the task's (defaultTaskConfig, shared with the coordinator). */
    localEpochs: posInt.max(100).optional(),
    batchSize: posInt.max(4096).optional(),
    /** Client learning rate; default the task's (defaultTaskConfig). */
    learningRate: z.number().positive().max(10).optional(),
    /** The model class; default the task's (defaultTaskConfig). */
    model: z.enum(['network', 'additive']).optional(),
    strategy: strategyEnum.default('fedavg'),
    proximalMu: z.number().min(0).max(100).optional(),
    serverLearningRate: z.number().positive().max(100).optional(),
    serverMomentum: z.number().min(0).lt(1).optional(),
    beta1: z.number().min(0).lt(1).optional(),
    beta2: z.number().min(0).lt(1).optional(),
    tau: z.number().positive().max(10).optional(),
    trimFraction: z.number().min(0).lt(0.5).optional(),
    /** L2 bound every client clips its update to; default the task's (defaultTaskConfig). */
    clip: z.number().positive().optional(),
    noiseMultiplier: z.number().min(0).optional(),
    targetEpsilon: z.number().positive().optional(),
    delta: z.number().gt(0).lt(1).optional(),
    dpMode: z.enum(['central', 'distributed']).default('central'),
    secureAggregation: z.boolean().default(false),
    neighbours: posInt.optional(),
    /** Secure aggregation: fewest surviving clients needed to unmask; default ceil(2/3 of the selected). */
    threshold: posInt.optional(),
    dropout: z.number().min(0).lt(1).default(0),
    stragglers: z.string().default('none'),
    roundTimeoutMs: z.number().int().min(100).max(86_400_000).default(60_000),
    seed: z.number().int().nonnegative().default(1),
    transport: z.enum(['inprocess', 'socket']).default('inprocess'),
    protocol: z.enum(['temporal', 'unseen']).default('temporal'),
    holdoutFraction: z.number().gt(0).lt(1).optional(),
    /** Last fraction of each evaluated athlete's labelled days used as test days. */
    testFraction: z.number().gt(0).lt(1).default(0.2),
    trainer: z.enum(['batched', 'tfjs']).default('batched'),
    /** Also run the engine's federated evaluation every round (every client predicts with tfjs; slow). */
    federatedEval: z.boolean().default(false),
    /** Default: rounds x localEpochs x clientsPerRound / training clients, at least 1. */
    centralEpochs: posInt.max(10_000).optional(),
    /** Default: the same as centralEpochs. */
    localOnlyEpochs: posInt.max(10_000).optional(),
    /** Default: localEpochs. */
    personalizeEpochs: posInt.max(1000).optional(),
    personalizeLearningRate: z.number().positive().max(10).optional(),
  })
  .strict();

export type SimOptions = z.output<typeof simOptionsSchema>;
export type SimOptionsInput = z.input<typeof simOptionsSchema>;

/** Combinations that cannot run, as messages for the user. Checks needing the dataset happen at load time. */
export function optionProblems(o: SimOptions): string[] {
  const problems: string[] = [];
  if ((o.strategy === 'median' || o.strategy === 'trimmed-mean') && o.secureAggregation) {
    problems.push(`--strategy ${o.strategy} needs each client's update, which --secure-aggregation hides: use fedavg, fedprox, fedadam, fedyogi or fedavgm`);
  }
  if (o.noiseMultiplier !== undefined && o.targetEpsilon !== undefined) problems.push('give either --noise-multiplier or --target-epsilon, not both');
  if (o.targetEpsilon !== undefined && o.delta === undefined) problems.push('--target-epsilon needs --delta (epsilon means nothing without it)');
  if (o.noiseMultiplier !== undefined && o.noiseMultiplier > 0 && o.delta === undefined) problems.push('--noise-multiplier needs --delta to account epsilon');
  if (o.neighbours !== undefined && !o.secureAggregation) problems.push('--neighbours only applies with --secure-aggregation');
  if (o.threshold !== undefined && !o.secureAggregation) problems.push('--threshold only applies with --secure-aggregation');
  if (o.holdoutFraction !== undefined && o.protocol !== 'unseen') problems.push('--holdout-fraction only applies with --protocol unseen');
  if (o.minClients !== undefined && o.minClients > o.clientsPerRound) problems.push(`--min-clients ${o.minClients} exceeds --clients-per-round ${o.clientsPerRound}`);
  if (o.dataset === 'synthetic' && o.athletes !== undefined && o.clientsPerRound > o.athletes) {
    problems.push(`--clients-per-round ${o.clientsPerRound} exceeds --athletes ${o.athletes}`);
  }
  const onlyFor: [keyof SimOptions, string, readonly string[]][] = [
    ['proximalMu', '--proximal-mu', ['fedprox']],
    ['serverLearningRate', '--server-lr', ['fedadam', 'fedyogi', 'fedavgm']],
    ['serverMomentum', '--server-momentum', ['fedavgm']],
    ['beta1', '--beta1', ['fedadam', 'fedyogi']],
    ['beta2', '--beta2', ['fedadam', 'fedyogi']],
    ['tau', '--tau', ['fedadam', 'fedyogi']],
    ['trimFraction', '--trim-fraction', ['trimmed-mean']],
  ];
  for (const [key, flag, strategies] of onlyFor) {
    if (o[key] !== undefined && !strategies.includes(o.strategy)) problems.push(`${flag} only applies to --strategy ${strategies.join(' or ')}`);
  }
  if (o.dpMode === 'distributed' && (o.noiseMultiplier !== undefined || o.targetEpsilon !== undefined) && !o.secureAggregation) {
    problems.push('--dp-mode distributed needs --secure-aggregation (clients add noise shares that only the masked sum hides)');
  }
  if (o.secureAggregation && o.clientsPerRound < 3) problems.push('--secure-aggregation needs --clients-per-round of at least 3');
  if (o.dataset !== 'synthetic' && o.days !== undefined) problems.push('--days only applies to --dataset synthetic');
  try {
    parseStragglers(o.stragglers);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}

export class SimUsageError extends Error {
  override name = 'SimUsageError';
}

/** Parses and checks; throws SimUsageError listing every problem. */
export function resolveOptions(input: SimOptionsInput): SimOptions {
  const parsed = simOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new SimUsageError(parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('\n'));
  }
  const problems = optionProblems(parsed.data);
  if (problems.length > 0) throw new SimUsageError(problems.join('\n'));
  return parsed.data;
}
