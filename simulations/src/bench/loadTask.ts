import { defaultModelSettings, defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';

export const LOAD_TASK = 'injury' as const;

/**
 * The load bench's task: every connected client is selected and must report (no over-selection), one local epoch,
 * the network (its parameter count is what --params sizes; the default additive model's is fixed by its bins).
 */
export function loadTaskConfig(clients: number, timeoutMs: number): TaskConfig {
  const roundTimeoutMs = Math.max(100, timeoutMs);
  return defaultTaskConfig(LOAD_TASK, {
    clientsPerRound: clients,
    minClients: clients,
    overSelection: 1,
    roundTimeoutMs,
    evaluateTimeoutMs: roundTimeoutMs,
    model: defaultModelSettings(LOAD_TASK, 'network'),
    fit: { localEpochs: 1, batchSize: 32, learningRate: 0.1, proximalMu: 0, clipNorm: 5, seed: 1 },
  });
}

export const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;
