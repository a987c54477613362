import { defaultModelSettings, defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';

export const LOAD_TASK = 'injury' as const;

/** Share of the clients a round needs by its deadline (the target: 9,500 of 10,000). */
export const LOAD_MIN_SHARE = 0.95;

/**
 * The load bench's task: every connected client is selected (no over-selection); the round closes once all reported,
 * or at `roundTimeoutMs` with at least 95% of them; one local epoch; the network (its parameter count is what --params
 * sizes; the default additive model's is fixed by its bins).
 */
export function loadTaskConfig(clients: number, roundTimeoutMs: number): TaskConfig {
  roundTimeoutMs = Math.max(100, roundTimeoutMs);
  return defaultTaskConfig(LOAD_TASK, {
    clientsPerRound: clients,
    minClients: Math.ceil(clients * LOAD_MIN_SHARE),
    overSelection: 1,
    roundTimeoutMs,
    evaluateTimeoutMs: roundTimeoutMs,
    model: defaultModelSettings(LOAD_TASK, 'network'),
    fit: { localEpochs: 1, batchSize: 32, learningRate: 0.1, proximalMu: 0, clipNorm: 5, seed: 1 },
  });
}

export const mb = (bytes: number): number => Math.round((bytes / 2 ** 20) * 10) / 10;

export const cpuMs = (usage: NodeJS.CpuUsage): number => Math.round((usage.user + usage.system) / 1000);
