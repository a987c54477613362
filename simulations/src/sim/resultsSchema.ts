import { simOptionsSchema } from './options.ts';
import { z } from 'zod';

/**
 * The `--out` results file. Every metric an undefined value can take (e.g. AUC with one class absent)
 * is null. Documented field by field in simulations/README.md.
 */
export const RESULTS_SCHEMA_VERSION = 2;

const num = z.number().nullable();
const count = z.number().int().nonnegative();

/** 95% interval bootstrapped over athletes (percentile method); null bounds when the metric is undefined on most resamples. */
const ci = z.object({ lo: num, hi: num }).strict();
const intervals = <K extends string>(keys: readonly K[]) => z.object(Object.fromEntries(keys.map((k) => [k, ci])) as Record<K, typeof ci>).strict();
const values = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, num])) as Record<K, typeof num>;

const BINARY = ['auc', 'prAuc', 'brier', 'logLoss', 'ece'] as const;
const REGRESSION = ['mae', 'rmse'] as const;
const RULE = ['auc', 'prAuc', 'sensitivity', 'specificity'] as const;

/** n: test days; athletes: evaluated athletes with test days; positives: positive test days; positiveAthletes: athletes with one. */
const counts = { n: count, athletes: count };
const binaryCounts = { ...counts, positives: count, positiveAthletes: count };

/** ece: expected calibration error over deciles of predicted risk. */
const binaryMetrics = z.object({ kind: z.literal('binary'), ...binaryCounts, ...values(BINARY), ci: intervals(BINARY) }).strict();
const regressionMetrics = z.object({ kind: z.literal('regression'), ...counts, ...values(REGRESSION), ci: intervals(REGRESSION) }).strict();
const ruleMetrics = z
  .object({ kind: z.literal('rule'), ...binaryCounts, threshold: z.number(), flagged: count, ...values(RULE), ci: intervals(RULE) })
  .strict();

const subgroups = <T extends z.ZodType>(m: T) => z.record(z.string(), z.record(z.string(), m));
const calibrationRow = z.object({ bin: count, count, meanPredicted: num, observedRate: num }).strict();

export const binaryResultSchema = binaryMetrics.extend({ subgroups: subgroups(binaryMetrics), calibration: z.array(calibrationRow) });
export const regressionResultSchema = regressionMetrics.extend({ subgroups: subgroups(regressionMetrics) });
export const ruleResultSchema = ruleMetrics.extend({ subgroups: subgroups(ruleMetrics) });

/** method - reference on one metric, with its paired interval (same resampled athletes for both). */
export const comparisonSchema = z
  .object({
    method: z.string(),
    reference: z.string(),
    metric: z.string(),
    difference: num,
    lo: num,
    hi: num,
    verdict: z.enum(['better', 'worse', 'inconclusive', 'undefined']),
  })
  .strict();
export const methodResultSchema = z.discriminatedUnion('kind', [binaryResultSchema, regressionResultSchema]);

export const roundResultSchema = z
  .object({
    round: z.number().int().positive(),
    status: z.enum(['completed', 'abandoned']),
    reason: z.string().nullable(),
    /** Clients asked to train (ceil(clientsPerRound x overSelection), fewer if not enough were idle). */
    selected: count,
    /** Pseudonymous ids of the clients whose update was aggregated. */
    participants: z.array(z.string()),
    /** Selected clients whose update did not count: silent dropouts and stragglers past the deadline. */
    dropped: z.array(z.string()),
    numExamples: count,
    trainLoss: num,
    /** The global model after this round on the protocol's test days: auc, prAuc, brier, logLoss (injury) or mae, rmse (readiness). */
    metrics: z.record(z.string(), num),
    /** The engine's own federated evaluation (histogram-based), when --federated-eval; else null. */
    engineMetrics: z.record(z.string(), z.number().nullable()).nullable(),
    /** Epsilon spent after this round, null without noise. */
    epsilon: num,
    /** engine: the coordinator's privacy accounting; config: computed here from the configuration (the engine reported none). */
    epsilonSource: z.enum(['engine', 'none']),
    /** Whether the engine ran this round under secure aggregation. */
    secureAggregation: z.boolean(),
    /** Virtual milliseconds the round took (deadlines and straggler delays are virtual). */
    virtualMs: z.number().nonnegative(),
  })
  .strict();

export const resultsSchema = z
  .object({
    schemaVersion: z.literal(RESULTS_SCHEMA_VERSION),
    config: simOptionsSchema.extend({
      derived: z
        .object({
          learningRate: z.number(),
          minClients: count,
          centralEpochs: count,
          localOnlyEpochs: count,
          personalizeEpochs: count,
          personalizeLearningRate: z.number(),
          /** The engine's task configuration exactly as the coordinator received it. */
          taskConfig: z.record(z.string(), z.unknown()),
        })
        .strict(),
    }),
    dataset: z
      .object({
        name: z.string(),
        athletes: count,
        clients: count,
        evaluatedAthletes: count,
        trainExamples: count,
        testExamples: count,
        testPositives: count.nullable(),
        skippedRows: count,
        /** The first refused CSV rows (row number, column, reason; never the value). */
        rowErrors: z.array(z.object({ row: count, field: z.string(), reason: z.string() }).strict()),
      })
      .strict(),
    rounds: z.array(roundResultSchema),
    final: z
      .object({
        federated: methodResultSchema,
        personalized: methodResultSchema,
        centralized: methodResultSchema,
        localOnly: methodResultSchema,
        /** Pooled histogram gradient-boosted trees: logistic loss (injury), absolute loss on the change from today (readiness). */
        pooledGbdt: methodResultSchema,
        /** Readiness only: the same with squared loss (the RMSE reference). */
        pooledGbdtSquared: regressionResultSchema.optional(),
        heuristic: z.union([
          z.object({ acwrRule: ruleResultSchema, acwrEwmaRule: ruleResultSchema, athleteRate: binaryResultSchema }).strict(),
          z.object({ persistence: regressionResultSchema, athleteMean: regressionResultSchema }).strict(),
        ]),
        comparisons: z.array(comparisonSchema),
        bootstrap: z.object({ unit: z.literal('athlete'), resamples: count, seed: count, level: z.number() }).strict(),
        /** Settings of the pooled boosted trees chosen on validation days inside the training period. */
        referenceSettings: z.record(
          z.string(),
          z.object({ maxLeafNodes: count, minSamplesLeaf: count, iterations: count, validationLoss: num }).strict(),
        ),
      })
      .strict(),
    privacy: z
      .object({
        noise: z.enum(['none', 'central', 'distributed']),
        noiseMultiplier: z.number().nonnegative(),
        delta: num,
        samplingRate: z.number(),
        targetEpsilon: num,
        epsilon: num,
        /** engine: the coordinator's own privacy accounting; config: computed from the configuration. */
        epsilonSource: z.enum(['engine', 'none']),
      })
      .strict(),
    /** Everything a reader must not miss: skipped rows, idle clients, collapsed models, DP runs that destroyed utility. */
    warnings: z.array(z.string()),
    timing: z
      .object({
        totalMs: z.number(),
        datasetMs: z.number(),
        federationMs: z.number(),
        baselinesMs: z.number(),
        clientUpdates: count,
        clientUpdatesPerSecond: z.number(),
        samplesPerSecond: z.number(),
      })
      .strict(),
  })
  .strict();

export type SimResults = z.infer<typeof resultsSchema>;
export type RoundResult = z.infer<typeof roundResultSchema>;
