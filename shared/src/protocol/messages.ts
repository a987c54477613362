import { z } from 'zod';
import { modelVersionSchema } from './modelVersion.ts';
import { modelSettingsSchema } from '../model/settings.ts';
import { populationPriorSchema } from '../twin/priorSchema.ts';
import { bytesSchema, evalSummarySchema, finite, fitConfigSchema, idSchema, nonNegInt, roundIdSchema, taskIdSchema } from './schemas.ts';

/* Client -> coordinator. */
export const helloSchema = z.object({
  type: z.literal('hello'),
  protocol: z.number().int(),
  clientId: idSchema,
  /** Tasks this athlete has opted in to. */
  tasks: z.array(taskIdSchema).max(8),
  sdk: z.string().max(64),
  /** Ed25519 signature over the connection's challenge (see envelope.ts); required by enrolled federations. */
  signature: bytesSchema.optional(),
  /** Committed global models the client holds: the coordinator does not send them again. */
  models: z.array(modelVersionSchema.extend({ task: taskIdSchema })).max(8).optional(),
});
export const setTasksSchema = z.object({ type: z.literal('setTasks'), tasks: z.array(taskIdSchema).max(8) });
export const fitResultSchema = z.object({
  type: z.literal('fitResult'),
  roundId: roundIdSchema,
  numExamples: z.number().int().positive().max(1_000_000),
  /** Clipped update (new minus global weights) as little-endian float32. */
  update: bytesSchema,
  trainLoss: finite.nonnegative(),
  /** Adaptive clipping: 1 when the unclipped norm was within the requested bound. */
  clipBit: z.union([z.literal(0), z.literal(1)]).nullable(),
});
export const evaluateResultSchema = z.object({
  type: z.literal('evaluateResult'),
  roundId: roundIdSchema,
  numExamples: nonNegInt.max(1_000_000),
  sumLoss: finite.nonnegative(),
  summary: evalSummarySchema,
  /** The rest of the evaluation vector (shared/aggregation/evaluationVector.ts): per-athlete quality terms, standing. */
  extras: z.array(finite).max(64).optional(),
  /** The candidate model evaluated, which the client now holds (pending its round's commit). */
  model: modelVersionSchema.optional(),
});
export const declineSchema = z.object({
  type: z.literal('decline'),
  roundId: roundIdSchema,
  /** policy: the round's settings fall outside the athlete's privacy policy (the device says why, to the athlete only). */
  reason: z.enum(['no-data', 'busy', 'not-opted-in', 'error', 'policy']),
});

/** A federated statistic sent in plaintext (no secure aggregation): the twin prior's moment vector (aggregation/priorVector.ts). */
export const statisticResultSchema = z.object({
  type: z.literal('statisticResult'),
  roundId: roundIdSchema,
  statistic: z.literal('twinPrior'),
  values: z.array(finite).max(64),
});

/** A secure-aggregation step; the payload is validated by the SecAgg state machines (shared/secagg). */
export const secAggClientSchema = z.object({
  type: z.literal('secagg'),
  roundId: roundIdSchema,
  payload: z.record(z.string(), z.unknown()),
});

export const clientMessageSchema = z.discriminatedUnion('type', [helloSchema, setTasksSchema, fitResultSchema, evaluateResultSchema, declineSchema, secAggClientSchema, statisticResultSchema]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageInput = z.input<typeof clientMessageSchema>;

export const envelopeSchema = z.object({
  body: bytesSchema,
  seq: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  sig: bytesSchema.optional(),
});

/* Coordinator -> client. */
export const challengeSchema = z.object({
  type: z.literal('challenge'),
  protocol: z.number().int(),
  nonce: bytesSchema,
});
export const welcomeSchema = z.object({
  type: z.literal('welcome'),
  protocol: z.number().int(),
  clientId: idSchema,
  tasks: z.array(z.object({ task: taskIdSchema, featureCount: nonNegInt, parameterCount: nonNegInt, round: nonNegInt, model: modelVersionSchema })),
  /** Rounds a coordinator crash abandoned: clients drop any state (SecAgg sessions, candidate models) they hold for them. */
  abandonedRounds: z.array(roundIdSchema).max(64),
});
/** Present when the round runs secure aggregation: how to encode the update into Z/2^32. */
export const secureFitSchema = z.object({
  /** Fixed-point scale: an update coordinate x is sent as round(x * scale). */
  scale: z.number().positive(),
  /** Update length plus the extra coordinates (see SECURE_EXTRA_COORDINATES). */
  vectorLength: nonNegInt,
  /** Std of the discrete Gaussian noise each client adds in the integer domain; 0 = none. */
  noiseSigma: z.number().min(0),
  /** Refuse rosters weaker than this (client-side policy). */
  minNeighbours: nonNegInt,
  /** Whether the example count and train loss go into the sum; off under DP, where they would escape the noise. */
  releaseStats: z.boolean(),
  /**
   * FedAvg weighting inside the sum: each client sends min(examples, cap) x update and the coordinator
   * divides by the summed weights. 0 = every client weighs the same (DP-FedAvg).
   */
  exampleWeightCap: nonNegInt,
  /**
   * Adaptive clipping under distributed DP: each client sends its clip bit times CLIP_BIT_SCALE plus discrete
   * Gaussian noise of this std (integer units), so the coordinator never learns the exact count. Absent or 0: the bit
   * goes in as it is (no DP, or the coordinator adds the noise itself).
   */
  clipBitNoiseSigma: z.number().min(0).optional(),
});
export type SecureFit = z.infer<typeof secureFitSchema>;

export const fitRequestSchema = z.object({
  type: z.literal('fitRequest'),
  roundId: roundIdSchema,
  task: taskIdSchema,
  round: nonNegInt,
  /** The committed model to train from (round - 1). */
  model: modelVersionSchema,
  /** Its weights; null when the client said it holds `model`. */
  weights: bytesSchema.nullable(),
  config: fitConfigSchema,
  secure: secureFitSchema.nullable(),
  /** Adaptive clipping: report whether the update norm was within this bound; null = not tracked. */
  clipBitBound: z.number().positive().nullable(),
  /** Epoch milliseconds after which the update is no longer counted. */
  deadline: finite,
  /** The task's model family and target; absent = the network on the level target (coordinators before model choice). */
  modelSettings: modelSettingsSchema.optional(),
});
export const evaluateRequestSchema = z.object({
  type: z.literal('evaluateRequest'),
  roundId: roundIdSchema,
  task: taskIdSchema,
  round: nonNegInt,
  /** The candidate model of `round`: not committed yet, so not to be adopted before its roundEnd. */
  model: modelVersionSchema,
  weights: bytesSchema.nullable(),
  deadline: finite,
  modelSettings: modelSettingsSchema.optional(),
  /** Present when the evaluation vector goes through secure aggregation (no evaluateResult is sent then). */
  secure: secureFitSchema.nullable().optional(),
});
/** A federated-statistic round (docs/planning.md): fit the twin under `prior` (one EM step) and add its bounded moments. */
export const statisticRequestSchema = z.object({
  type: z.literal('statisticRequest'),
  roundId: roundIdSchema,
  /** The host task: its opted-in athletes take part and its privacy ledger pays. */
  task: taskIdSchema,
  statistic: z.literal('twinPrior'),
  /** The EM round, from 1. */
  iteration: z.number().int().min(1).max(1000),
  prior: populationPriorSchema,
  deadline: finite,
  /** Present when the moments go only into a secure sum (no statisticResult is sent then). */
  secure: secureFitSchema.nullable(),
});
export const roundEndSchema = z.object({
  type: z.literal('roundEnd'),
  roundId: roundIdSchema,
  task: taskIdSchema,
  round: nonNegInt,
  status: z.enum(['completed', 'abandoned']),
  counted: z.boolean(),
  /** Completed: the committed model of this round (clients adopt their candidate if it matches); abandoned: null. */
  model: modelVersionSchema.nullable(),
});
export const secAggServerSchema = z.object({
  type: z.literal('secagg'),
  roundId: roundIdSchema,
  payload: z.record(z.string(), z.unknown()),
});

export const errorCodes = [
  'malformed',
  'too-large',
  'unknown-event',
  'protocol-version',
  'not-ready',
  'unexpected',
  'stale-round',
  'bad-update',
  'rate-limited',
  'unauthorized',
] as const;
export const errorSchema = z.object({
  type: z.literal('error'),
  code: z.enum(errorCodes),
  message: z.string().max(500),
  roundId: roundIdSchema.optional(),
});
export type ErrorCode = (typeof errorCodes)[number];

export const serverMessageSchema = z.discriminatedUnion('type', [challengeSchema, welcomeSchema, fitRequestSchema, evaluateRequestSchema, roundEndSchema, errorSchema, secAggServerSchema, statisticRequestSchema]);

/** Secure vectors carry, after the update: example count, mean train loss x 1000, adaptive-clipping bit. */
export const SECURE_EXTRA_COORDINATES = 3;
export type ServerMessage = z.infer<typeof serverMessageSchema>;
export type ServerMessageInput = z.input<typeof serverMessageSchema>;

export type MessageOf<U extends { type: string }, T extends U['type']> = Extract<U, { type: T }>;
export { idSchema, nonNegInt };
