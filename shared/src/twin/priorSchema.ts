/**
 * The population prior at trust boundaries: what a coordinator sends devices to fit under (one EM step), what it
 * publishes, and what an app or `npm run plan` reads from a file. Every field is bounded, so a hostile coordinator
 * cannot make a device fit under an absurd prior.
 */
import { z } from 'zod';
import type { PopulationPrior } from './prior.ts';

const normal = (mean: [number, number], sd: [number, number]) => z.object({ mean: z.number().min(mean[0]).max(mean[1]), sd: z.number().min(sd[0]).max(sd[1]) });

export const populationPriorSchema = z.object({
  logFitnessTau: normal([Math.log(5), Math.log(200)], [0.01, 3]),
  logFatigueTau: normal([Math.log(1), Math.log(60)], [0.01, 3]),
  baseline: normal([0, 10], [0.01, 10]),
  fitnessGain: normal([0, 20], [0.01, 20]),
  logGainRatio: normal([Math.log(0.5), Math.log(12)], [0.01, 3]),
  dayAfterGain: normal([-5, 10], [0.01, 10]),
  residualSd: z.number().min(0.05).max(10),
  athletes: z.number().int().min(0).max(10_000_000),
}) satisfies z.ZodType<PopulationPrior>;

/** A prior as the coordinator publishes it (`GET /api/twin-prior`) and as apps cache it. */
export const publishedPriorSchema = z.object({
  prior: populationPriorSchema,
  /** EM rounds that produced it (each a secure-sum round over the devices), and when the last one ended. */
  rounds: z.number().int().min(1).max(1000),
  publishedAt: z.iso.datetime(),
  /** The host task whose opted-in athletes contributed (and whose privacy ledger paid for it). */
  task: z.string().max(32),
  secureAggregation: z.boolean(),
  /** DP noise on the sums: none, central (added by the coordinator) or distributed (by the devices), and z. */
  noise: z.enum(['none', 'central', 'distributed']),
  noiseMultiplier: z.number().min(0).max(1000),
});
export type PublishedPrior = z.infer<typeof publishedPriorSchema>;

/** Reads a prior from JSON text: either a published prior or a bare PopulationPrior. */
export function parsePriorJson(text: string): { ok: true; prior: PopulationPrior; published: PublishedPrior | null } | { ok: false; error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `not JSON: ${(err as Error).message}` };
  }
  const published = publishedPriorSchema.safeParse(value);
  if (published.success) return { ok: true, prior: published.data.prior, published: published.data };
  const bare = populationPriorSchema.safeParse(value);
  if (bare.success) return { ok: true, prior: bare.data, published: null };
  const issue = bare.error.issues[0];
  return { ok: false, error: `not a twin prior: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}` };
}

/** Which prior a fit used, in plain words. */
export function priorSourceNote(published: PublishedPrior | null): string {
  if (!published) return 'Population prior: the built-in default (no federated prior published yet).';
  const day = published.publishedAt.slice(0, 10);
  return `Population prior: the federation's, learned on ${day} from ${published.prior.athletes} athletes' own fits (${published.rounds} rounds${published.secureAggregation ? ', secure aggregation' : ''}${published.noise !== 'none' ? `, ${published.noise} DP noise` : ''}).`;
}

/** A prior pulled inside the schema's bounds (DP noise on the sums can push an estimate past them); post-processing. */
export function boundedPrior(p: PopulationPrior): PopulationPrior {
  const shape = populationPriorSchema.shape;
  const clampNormal = (n: { mean: number; sd: number }, s: (typeof shape)['baseline']) => ({
    mean: clampTo(n.mean, s.shape.mean.minValue!, s.shape.mean.maxValue!),
    sd: clampTo(n.sd, s.shape.sd.minValue!, s.shape.sd.maxValue!),
  });
  return {
    logFitnessTau: clampNormal(p.logFitnessTau, shape.logFitnessTau),
    logFatigueTau: clampNormal(p.logFatigueTau, shape.logFatigueTau),
    baseline: clampNormal(p.baseline, shape.baseline),
    fitnessGain: clampNormal(p.fitnessGain, shape.fitnessGain),
    logGainRatio: clampNormal(p.logGainRatio, shape.logGainRatio),
    dayAfterGain: clampNormal(p.dayAfterGain, shape.dayAfterGain),
    residualSd: clampTo(p.residualSd, shape.residualSd.minValue!, shape.residualSd.maxValue!),
    athletes: Math.max(0, Math.round(p.athletes)),
  };
}

function clampTo(v: number, lo: number, hi: number): number {
  return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo;
}
