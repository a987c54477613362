import { z } from 'zod';
import { TASK_IDS, type TaskId } from '../model/spec.ts';

export const taskIdSchema = z.enum(TASK_IDS as [TaskId, ...TaskId[]]);
export const idSchema = z.string().min(1).max(128).regex(/^[A-Za-z0-9._:-]+$/, 'ids use letters, digits and . _ : -');
export const roundIdSchema = idSchema;
export const finite = z.number().finite();
export const nonNegInt = z.number().int().nonnegative();

/** Binary field: socket.io and msgpack hand over Uint8Array, Buffer or ArrayBuffer depending on platform. */
export const bytesSchema = z
  .custom<Uint8Array | ArrayBuffer>((b) => b instanceof Uint8Array || b instanceof ArrayBuffer, 'expected binary data')
  .transform((b): Uint8Array => (b instanceof Uint8Array ? b : new Uint8Array(b)));

export const fitConfigSchema = z.object({
  localEpochs: z.number().int().min(1).max(100),
  batchSize: z.number().int().min(1).max(4096),
  learningRate: z.number().positive().max(10),
  proximalMu: z.number().min(0).max(100),
  /** L2 bound the update is clipped to before it leaves the device. */
  clipNorm: z.number().positive(),
  seed: z.number().int().nonnegative(),
});
export type FitConfig = z.infer<typeof fitConfigSchema>;

export const SCORE_BINS = 100;

/** True for SCORE_BINS non-negative safe integers: one loop, where z.array(nonNegInt) parsed each count (19 us a summary). */
function isBinCounts(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length !== SCORE_BINS) return false;
  for (let i = 0; i < v.length; i++) {
    const x: unknown = v[i];
    if (!Number.isSafeInteger(x) || (x as number) < 0) return false;
  }
  return true;
}
const binCountsSchema = z.custom<number[]>(isBinCounts, `expected ${SCORE_BINS} non-negative integer counts`);

export const binaryEvalSchema = z.object({
  kind: z.literal('binary'),
  /** Counts of held-out days per predicted-risk bin ([0,1] in SCORE_BINS bins), by label. */
  positives: binCountsSchema,
  negatives: binCountsSchema,
});
export const regressionEvalSchema = z.object({
  kind: z.literal('regression'),
  sumAbsError: finite.nonnegative(),
  sumSquaredError: finite.nonnegative(),
});
export const evalSummarySchema = z.discriminatedUnion('kind', [binaryEvalSchema, regressionEvalSchema]);
export type EvalSummary = z.infer<typeof evalSummarySchema>;
