import { describe, expect, it } from 'vitest';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { Coordinator } from '../src/engine/coordinator.ts';
import { CRASHED_ROUND_REASON } from '../src/engine/roundRecord.ts';
import { FileStore } from '../src/store/fileStore.ts';
import { SqliteStore, SQLITE_FILE_NAME } from '../src/store/sqliteStore.ts';
import type { CoordinatorStore } from '../src/store/store.ts';
import { tempDir } from './helpers/tempDir.ts';

const SECURE = defaultTaskConfig('injury', { secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 20_000 } });

describe.each([
  ['SqliteStore', (dir: string): CoordinatorStore => new SqliteStore(`${dir}/${SQLITE_FILE_NAME}`)],
  ['FileStore', (dir: string): CoordinatorStore => new FileStore(dir)],
])('a round a crash cut short, recovered by a restarted coordinator (%s)', (_name, open) => {
  it('keeps who was selected, the secure-aggregation flag and the engine reason', async () => {
    const tmp = tempDir();
    try {
      const store = open(tmp.dir);
      new Coordinator({ tasks: [SECURE], store, featureCount: FEATURE_COUNT });
      // What the round runner records before contacting anyone; the process then dies (nothing is closed).
      store.markRoundOpen('injury', 'injury-1-deadbeef', 1, null, { selected: ['a', 'b', 'c'], secureAggregation: true });

      const restarted = new Coordinator({ tasks: [SECURE], store: open(tmp.dir), featureCount: FEATURE_COUNT });
      const [record] = restarted.history('injury');
      expect(record).toMatchObject({ roundId: 'injury-1-deadbeef', status: 'abandoned', reason: CRASHED_ROUND_REASON, selected: ['a', 'b', 'c'], reported: [], secureAggregation: true });
      expect(restarted.history('injury')).toHaveLength(1);
      await restarted.close();
    } finally {
      tmp.remove();
    }
  });
});
