import { z } from 'zod';
import { MIN_PRIOR_ATHLETES } from '../twin/prior.ts';
import { taskIdSchema } from './schemas.ts';

/**
 * The coordinator task that learns the planning twin's population prior (docs/planning.md, "Federated prior as a
 * coordinator task"): `iterations` EM rounds over the host task's opted-in athletes, each a sum of bounded moments.
 * Unset secure/noise settings follow the host task's (its secure aggregation, its privacy noise and ledger).
 */
export const twinPriorConfigSchema = z
  .object({
    /** The host task: whose opted-in athletes take part (the twin fits readiness reports), whose ledger is charged. */
    task: taskIdSchema.default('readiness'),
    /**
     * EM rounds in all: each device refits under the latest prior, the sum gives the next one. Abandoned rounds count
     * too, and so do the rounds the store already holds: a restarted coordinator or a new leader runs only the rest.
     */
    iterations: z.number().int().min(1).max(50).default(8),
    /** Devices asked per round. */
    clients: z.number().int().min(1).max(100_000).default(50),
    /** Fewest replies (secure: survivors) a round may sum. */
    minClients: z.number().int().min(1).max(100_000).default(3),
    /** Fewest athletes with a personal fit for a prior to be published; below it the previous prior stays. */
    minAthletes: z.number().int().min(3).max(100_000).default(MIN_PRIOR_ATHLETES),
    roundTimeoutMs: z.number().int().min(100).max(86_400_000).default(60_000),
    /** Secure aggregation of the moments; default: as the host task. */
    secureAggregation: z.boolean().optional(),
    /** DP noise on the sums (z x clip per normalized coordinate); default: as the host task. */
    noise: z.enum(['none', 'central', 'distributed']).optional(),
    noiseMultiplier: z.number().min(0).max(1000).optional(),
  })
  .strict()
  .refine((c) => c.minClients <= c.clients, { message: 'minClients must not exceed clients', path: ['minClients'] })
  .refine((c) => c.noise !== 'distributed' || c.secureAggregation !== false, { message: 'distributed noise needs secure aggregation', path: ['noise'] })
  .refine((c) => c.noise === undefined || c.noise === 'none' || (c.noiseMultiplier ?? 0) > 0, { message: 'noise needs a positive noiseMultiplier', path: ['noiseMultiplier'] });
export type TwinPriorConfig = z.infer<typeof twinPriorConfigSchema>;
export type TwinPriorConfigInput = z.input<typeof twinPriorConfigSchema>;
