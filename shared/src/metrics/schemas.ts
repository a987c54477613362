import { z } from 'zod';
import { HISTOGRAM_BINS } from './scoreHistogram.ts';

const count = z.number().int().nonnegative();

/** Wire schemas for the federated-evaluation aggregates a coordinator receives from clients. */
export const scoreHistogramSchema = z.object({
  positives: z.array(count).length(HISTOGRAM_BINS),
  negatives: z.array(count).length(HISTOGRAM_BINS),
});

export const regressionSumsSchema = z.object({
  n: count,
  sumAbsError: z.number().nonnegative(),
  sumSquaredError: z.number().nonnegative(),
});
