import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { Coordinator } from '../src/engine/coordinator.ts';
import { compactHeap, v8Gc } from '../src/ops/heapCompaction.ts';
import { FileStore } from '../src/store/fileStore.ts';
import { tempDir } from './helpers/tempDir.ts';

/** About `mb` MB of small objects that survive two collections (promoted to old space, as a join burst's are). */
function promotedJunk(mb: number): { rows: object[] } {
  const holder = { rows: [] as object[] };
  for (let i = 0; i < mb * 8_000; i++) holder.rows.push({ id: `client-${i}`, seen: i, tasks: [i] });
  v8Gc()!();
  v8Gc()!();
  return holder;
}

describe('compactHeap', () => {
  it('frees promoted garbage synchronously and says how much', () => {
    let junk: { rows: object[] } | null = promotedJunk(40);
    const held = process.memoryUsage().heapUsed / 2 ** 20;
    junk = null;
    const r = compactHeap();
    expect(junk).toBeNull();
    expect(r).not.toBeNull();
    expect(r!.heapUsedMbBefore).toBeGreaterThan(held - 5);
    expect(r!.heapUsedMbBefore - r!.heapUsedMbAfter).toBeGreaterThan(25);
  });
});

describe('Coordinator beforeRound', () => {
  it('is called with the task as a round begins, before the round is recorded', async () => {
    const tmp = tempDir();
    try {
      const store = new FileStore(tmp.dir);
      const calls: { task: string; recorded: number }[] = [];
      const coordinator: Coordinator = new Coordinator({
        tasks: [defaultTaskConfig('injury')],
        store,
        featureCount: FEATURE_COUNT,
        beforeRound: (task) => calls.push({ task, recorded: coordinator.history(task).length }),
      });
      const record = await coordinator.runRound('injury');
      expect(calls).toEqual([{ task: 'injury', recorded: 0 }]);
      expect(record.status).toBe('abandoned');
      expect(coordinator.history('injury')).toHaveLength(1);
      await coordinator.close();
    } finally {
      tmp.remove();
    }
  });
});
