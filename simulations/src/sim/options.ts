import { z } from 'zod';
import { strategyHyperparametersSchema } from '@huddle/shared/aggregation';
import { MODEL_KINDS, modelSettingsSchema } from '@huddle/shared/model';
import { fitConfigSchema, privacyConfigSchema, secureAggregationConfigSchema, taskConfigSchema } from '@huddle/shared/protocol';
import { flagOf } from './flags.ts';
import { parseStragglers } from './stragglers.ts';
import { engineConfigProblems } from './taskConfig.ts';
import { SimUsageError } from './usageError.ts';

export { SimUsageError } from './usageError.ts';

const posInt = z.number().int().positive();
/** Options the engine reads take the engine's own field schemas: each range lives once. */
const task = taskConfigSchema.shape;
const fit = fitConfigSchema.shape;
const hyper = strategyHyperparametersSchema.shape;
const modelShape = modelSettingsSchema.shape;

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
    clientsPerRound: task.clientsPerRound.default(10),
    /** Fewest updates a round may aggregate; default max(1, floor(clientsPerRound / 2)). */
    minClients: task.minClients.optional(),
    overSelection: task.overSelection.default(1),
    /** Local epochs and batch size of the network; default the task's (defaultTaskConfig, shared with the coordinator). */
    localEpochs: fit.localEpochs.optional(),
    batchSize: fit.batchSize.optional(),
    /** Client learning rate; default the task's (defaultTaskConfig). */
    learningRate: fit.learningRate.optional(),
    /** The model class; default the task's (defaultTaskConfig). */
    model: z.enum(MODEL_KINDS).optional(),
    /** Overrides of the model's settings (loss, learning rate, L2...); unset ones keep the model class's defaults. */
    modelSettings: z
      .object({
        loss: modelShape.loss,
        huberDelta: modelShape.huberDelta,
        learningRate: modelShape.learningRate,
        l2: modelShape.l2,
        monotone: modelShape.monotone,
        smoothing: modelShape.smoothing.unwrap(),
        averaging: modelShape.averaging.unwrap(),
        pairTerms: modelShape.pairTerms.unwrap(),
        step: modelShape.step.unwrap(),
        meanForecast: modelShape.meanForecast.unwrap(),
        treeDepth: modelShape.treeDepth.unwrap(),
        treeCount: modelShape.treeCount.unwrap(),
        treeLevelRounds: modelShape.treeLevelRounds.unwrap(),
      })
      .partial()
      .strict()
      .optional(),
    /** Score validation days (each athlete's training period split again) instead of test days; what tuning uses. */
    validation: z.boolean().default(false),
    strategy: task.strategy.default('fedavg'),
    proximalMu: hyper.proximalMu,
    serverLearningRate: hyper.serverLearningRate,
    serverMomentum: hyper.serverMomentum,
    beta1: hyper.beta1,
    beta2: hyper.beta2,
    tau: hyper.tau,
    trimFraction: hyper.trimFraction,
    /** L2 bound every client clips its update to; default the task's (defaultTaskConfig). */
    clip: fit.clipNorm.optional(),
    noiseMultiplier: privacyConfigSchema.shape.noiseMultiplier.optional(),
    targetEpsilon: z.number().positive().optional(),
    delta: privacyConfigSchema.shape.delta.optional(),
    dpMode: z.enum(['central', 'distributed']).default('central'),
    secureAggregation: z.boolean().default(false),
    neighbours: secureAggregationConfigSchema.shape.neighbours.unwrap().optional(),
    /** Secure aggregation: fewest surviving clients needed to unmask; default ceil(2/3 of the selected). */
    threshold: secureAggregationConfigSchema.shape.threshold.unwrap().optional(),
    dropout: z.number().min(0).lt(1).default(0),
    stragglers: z.string().default('none'),
    roundTimeoutMs: task.roundTimeoutMs.default(60_000),
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

/**
 * Simulator-only combinations that cannot run, as messages for the user. What the engine refuses is
 * checked by the engine's own schema (engineConfigProblems); checks needing the dataset happen at load time.
 */
export function optionProblems(o: SimOptions): string[] {
  const problems: string[] = [];
  if (o.noiseMultiplier !== undefined && o.targetEpsilon !== undefined) problems.push('give either --noise-multiplier or --target-epsilon, not both');
  if (o.targetEpsilon !== undefined && o.delta === undefined) problems.push('--target-epsilon needs --delta (epsilon means nothing without it)');
  if (o.noiseMultiplier !== undefined && o.noiseMultiplier > 0 && o.delta === undefined) problems.push('--noise-multiplier needs --delta to account epsilon');
  // The engine ignores these without secure aggregation; on the command line they are a mistake.
  if (o.neighbours !== undefined && !o.secureAggregation) problems.push('--neighbours only applies with --secure-aggregation');
  if (o.threshold !== undefined && !o.secureAggregation) problems.push('--threshold only applies with --secure-aggregation');
  if (o.holdoutFraction !== undefined && o.protocol !== 'unseen') problems.push('--holdout-fraction only applies with --protocol unseen');
  if (o.dataset !== 'synthetic' && o.days !== undefined) problems.push('--days only applies to --dataset synthetic');
  try {
    parseStragglers(o.stragglers);
  } catch (err) {
    problems.push((err as Error).message);
  }
  return problems;
}

/** Parses and checks; throws SimUsageError listing every problem. */
export function resolveOptions(input: SimOptionsInput): SimOptions {
  const parsed = simOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new SimUsageError(parsed.error.issues.map((i) => `${i.path.length > 0 ? flagOf(String(i.path[0])) : 'options'}: ${i.message}`).join('\n'));
  }
  const problems = optionProblems(parsed.data);
  if (problems.length === 0) problems.push(...engineConfigProblems(parsed.data));
  if (problems.length > 0) throw new SimUsageError(problems.join('\n'));
  return parsed.data;
}
