import { z } from 'zod';
import { STRATEGY_NAMES, type StrategyName } from '../aggregation/strategies.ts';
import { fitConfigSchema, taskIdSchema } from './schemas.ts';

export const taskConfigSchema = z
  .object({
    task: taskIdSchema,
    /** Updates to wait for in a round. */
    clientsPerRound: z.number().int().min(1).max(100_000),
    /** Fewest updates a round may aggregate; fewer by the deadline abandons it. */
    minClients: z.number().int().min(1).max(100_000),
    /** Selects ceil(clientsPerRound * overSelection) clients to absorb dropouts. */
    overSelection: z.number().min(1).max(10),
    roundTimeoutMs: z.number().int().min(100).max(86_400_000),
    evaluateTimeoutMs: z.number().int().min(100).max(86_400_000),
    /** Clients asked to evaluate each new global model; 0 = every connected opted-in client. */
    evaluateClients: z.number().int().min(0).max(100_000),
    fit: fitConfigSchema,
    strategy: z.enum(STRATEGY_NAMES as unknown as [StrategyName, ...StrategyName[]]),
    /** Seeds the initial model. */
    modelSeed: z.number().int().nonnegative(),
  })
  .refine((c) => c.minClients <= c.clientsPerRound, { message: 'minClients must not exceed clientsPerRound' });
export type TaskConfig = z.infer<typeof taskConfigSchema>;

export function defaultTaskConfig(task: TaskConfig['task'], overrides: Partial<TaskConfig> = {}): TaskConfig {
  return taskConfigSchema.parse({
    task,
    clientsPerRound: 5,
    minClients: 3,
    overSelection: 1.3,
    roundTimeoutMs: 60_000,
    evaluateTimeoutMs: 30_000,
    evaluateClients: 0,
    fit: { localEpochs: 2, batchSize: 32, learningRate: task === 'injury' ? 0.1 : 0.05, proximalMu: 0, clipNorm: 5, seed: 1 },
    strategy: 'fedavg',
    modelSeed: 42,
    ...overrides,
  });
}
