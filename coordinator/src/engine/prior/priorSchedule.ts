import type { TwinPriorConfig } from '@huddle/shared/protocol';
import type { Coordinator } from '../coordinator.ts';

/**
 * The operator's twin-prior task (`--twin-prior config.json`): waits until enough idle opted-in devices are connected,
 * then runs the task's EM rounds once, alongside the training schedule (a device takes part in one round at a time).
 */
export async function runTwinPriorTask(coordinator: Coordinator, config: TwinPriorConfig, options: { idleMs: number; signal?: AbortSignal }): Promise<void> {
  const needed = Math.max(config.minClients, config.minAthletes);
  while (!options.signal?.aborted && coordinator.registry.idleFor(config.task).length < needed) {
    await new Promise((r) => setTimeout(r, options.idleMs));
  }
  if (options.signal?.aborted) return;
  await coordinator.learnTwinPrior(config);
}
