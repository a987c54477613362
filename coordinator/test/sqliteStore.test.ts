import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { RECOVERED_ROUND_REASON, SqliteStore } from '../src/store/sqliteStore.ts';
import { SQLITE_FILE_NAME } from '../src/store/sqliteStore.ts';
import { abandonedRound, checkpoint, completedRound } from './helpers/records.ts';
import { tempDir } from './helpers/tempDir.ts';

const CHARGE = { samplingRate: 0.2, noiseMultiplier: 1.3, steps: 1 };
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('SqliteStore', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    while (cleanups.length > 0) cleanups.pop()!();
  });
  function setup() {
    const tmp = tempDir();
    const path = `${tmp.dir}/${SQLITE_FILE_NAME}`;
    let store = new SqliteStore(path);
    const sides: Database.Database[] = [];
    cleanups.push(() => {
      store.close();
      sides.forEach((d) => d.close());
      tmp.remove();
    });
    return {
      dir: tmp.dir,
      get store() {
        return store;
      },
      reopen() {
        store.close();
        store = new SqliteStore(path);
        return store;
      },
      /** A second connection to the same file, as another process would have. */
      side() {
        const db = new Database(path);
        sides.push(db);
        return db;
      },
    };
  }

  it('runs in WAL mode with a full fsync on every commit', () => {
    const s = setup();
    expect(s.side().pragma('journal_mode', { simple: true })).toBe('wal');
    const db = (s.store as unknown as { db: { raw: Database.Database } }).db.raw;
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
  });

  describe('atomic round commit', () => {
    it('a failure while replacing the checkpoint leaves no trace of the round', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = completedRound('injury', 1);
      s.store.markRoundOpen('injury', record.roundId, 1);
      s.side().exec("CREATE TRIGGER crash BEFORE UPDATE ON checkpoints BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
      expect(() => s.store.commitRound(record, checkpoint('injury', 1, [3, 4]), CHARGE)).toThrow(/simulated crash/);
      expect(s.store.history('injury')).toEqual([]);
      expect(s.store.loadLedger('injury').entries).toEqual([]);
      expect(Array.from(s.store.loadCheckpoint('injury')!.weights)).toEqual([1, 2]);
      expect(s.store.openRounds()).toEqual([{ task: 'injury', roundId: record.roundId, round: 1 }]);
    });

    it('a failure while charging the ledger leaves no trace of the round', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      s.side().exec("CREATE TRIGGER crash BEFORE INSERT ON ledger_entries BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
      expect(() => s.store.commitRound(completedRound('injury', 1), checkpoint('injury', 1, [3, 4]), CHARGE)).toThrow(/simulated crash/);
      expect(s.store.history('injury')).toEqual([]);
      expect(s.store.loadCheckpoint('injury')!.round).toBe(0);
    });

    it('writes record, checkpoint and charge together and clears the open marker', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = completedRound('injury', 1);
      s.store.markRoundOpen('injury', record.roundId, 1);
      s.store.commitRound(record, checkpoint('injury', 1, [3, 4]), CHARGE);
      expect(s.store.history('injury')).toEqual([record]);
      expect(s.store.loadCheckpoint('injury')!.round).toBe(1);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
      expect(s.store.openRounds()).toEqual([]);
    });

    it('never counts a round twice: a repeated commit changes nothing', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = completedRound('injury', 1);
      s.store.commitRound(record, checkpoint('injury', 1, [3, 4]), CHARGE);
      s.store.commitRound({ ...record, round: 2 }, checkpoint('injury', 2, [5, 6]), { ...CHARGE, steps: 3 });
      expect(s.store.history('injury')).toHaveLength(1);
      expect(s.store.loadCheckpoint('injury')!.round).toBe(1);
      expect(s.store.loadLedger('injury').entries).toHaveLength(1);
    });

    it('refuses a checkpoint of another task', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1]));
      expect(() => s.store.commitRound(completedRound('injury', 1), checkpoint('readiness', 1, [2]))).toThrow(/readiness/);
      expect(s.store.history('injury')).toEqual([]);
    });
  });

  describe('privacy ledger', () => {
    it('charges when the round opens, in the same transaction, and not again at commit', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = completedRound('injury', 1);
      s.store.markRoundOpen('injury', record.roundId, 1, CHARGE);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
      s.store.commitRound(record, checkpoint('injury', 1, [3, 4]), CHARGE);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
      expect(s.store.chargeLedger('injury', CHARGE, record.roundId).entries).toEqual([CHARGE]);
    });

    it('opening a round is all or nothing: a failed charge leaves no open marker', () => {
      const s = setup();
      s.side().exec("CREATE TRIGGER crash BEFORE INSERT ON ledger_entries BEGIN SELECT RAISE(ABORT, 'simulated crash'); END");
      expect(() => s.store.markRoundOpen('injury', 'injury-1-aa', 1, CHARGE)).toThrow(/simulated crash/);
      expect(s.store.openRounds()).toEqual([]);
    });

    it('an invalid charge refuses to open the round', () => {
      const s = setup();
      expect(() => s.store.markRoundOpen('injury', 'injury-1-aa', 1, { samplingRate: 0, noiseMultiplier: 1, steps: 1 })).toThrow();
      expect(s.store.openRounds()).toEqual([]);
    });

    it('persists across reopening', () => {
      const s = setup();
      s.store.markRoundOpen('readiness', 'readiness-1-aa', 1, CHARGE);
      s.store.chargeLedger('readiness', { samplingRate: 0.1, noiseMultiplier: 0.9, steps: 2 });
      const again = s.reopen();
      expect(again.loadLedger('readiness')).toEqual({ taskId: 'readiness', entries: [CHARGE, { samplingRate: 0.1, noiseMultiplier: 0.9, steps: 2 }] });
      expect(again.loadLedger('injury').entries).toEqual([]);
    });

    it('validates what it reads back against the ledger schema', () => {
      const s = setup();
      s.side().prepare("INSERT INTO ledger_entries (task, round_id, entry, charged_at) VALUES ('injury', NULL, '{\"samplingRate\":7}', 0)").run();
      expect(() => s.store.loadLedger('injury')).toThrow();
    });
  });

  describe('open rounds after a crash', () => {
    it('records each open round as abandoned exactly once, keeping its charge', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      s.store.markRoundOpen('injury', 'injury-1-aa', 1, CHARGE);
      s.store.markRoundOpen('readiness', 'readiness-4-bb', 4);
      const again = s.reopen();
      const recovered = again.recoverOpenRounds();
      expect(recovered.map(({ task, roundId, round }) => ({ task, roundId, round }))).toEqual([
        { task: 'injury', roundId: 'injury-1-aa', round: 1 },
        { task: 'readiness', roundId: 'readiness-4-bb', round: 4 },
      ]);
      const [record] = again.history('injury');
      expect(record).toMatchObject({ roundId: 'injury-1-aa', status: 'abandoned', reason: RECOVERED_ROUND_REASON, selected: [], numExamples: 0, metrics: null });
      expect(again.recoverOpenRounds()).toEqual([]);
      expect(s.reopen().recoverOpenRounds()).toEqual([]);
      expect(s.store.history('injury')).toHaveLength(1);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
      expect(s.store.loadCheckpoint('injury')!.round).toBe(0);
    });

    it('a recovered round can never be committed afterwards', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = completedRound('injury', 1);
      s.store.markRoundOpen('injury', record.roundId, 1, CHARGE);
      s.store.recoverOpenRounds();
      s.store.commitRound(record, checkpoint('injury', 1, [3, 4]), CHARGE);
      expect(s.store.loadCheckpoint('injury')!.round).toBe(0);
      expect(() => s.store.markRoundOpen('injury', record.roundId, 1)).toThrow(/already recorded/);
      expect(s.store.history('injury').map((r) => r.status)).toEqual(['abandoned']);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
    });

    it('leaves committed rounds alone', () => {
      const s = setup();
      s.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
      const record = abandonedRound('injury', 1);
      s.store.markRoundOpen('injury', record.roundId, 1);
      s.store.commitRound(record, null);
      expect(s.store.recoverOpenRounds()).toEqual([]);
      expect(s.store.history('injury')).toEqual([record]);
    });

    it('clearOpenRound drops a marker (one round, or all of a task) without recording anything', () => {
      const s = setup();
      s.store.markRoundOpen('injury', 'injury-1-aa', 1);
      s.store.markRoundOpen('readiness', 'readiness-1-aa', 1);
      expect(s.store.clearOpenRound('injury', 'injury-1-zz')).toBe(false);
      expect(s.store.clearOpenRound('injury', 'injury-1-aa')).toBe(true);
      expect(s.store.clearOpenRound('injury', 'injury-1-aa')).toBe(false);
      expect(s.store.clearOpenRound('readiness')).toBe(true);
      expect(s.store.recoverOpenRounds()).toEqual([]);
      expect(s.store.history('injury')).toEqual([]);
    });

    it.each(['after-open', 'mid-commit', 'mid-refund'])('kill -9 %s: the spend is kept, the round recorded as abandoned once', (mode) => {
      const s = setup();
      s.store.close();
      const child = spawnSync(process.execPath, ['--import', 'tsx', 'coordinator/test/fixtures/crashDuringRound.ts', s.dir, mode], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(child.signal).toBe('SIGKILL');
      const { roundId } = JSON.parse(child.stdout.split('\n')[0]!) as { roundId: string };
      expect(child.stdout).not.toContain('committed');
      const store = s.reopen();
      expect(store.history('injury')).toEqual([]);
      expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([1, 2, 3]);
      expect(store.loadLedger('injury').entries).toEqual([CHARGE]);
      expect(store.recoverOpenRounds().map((r) => r.roundId)).toEqual([roundId]);
      expect(s.reopen().recoverOpenRounds()).toEqual([]);
      expect(s.store.history('injury').map((r) => [r.roundId, r.status])).toEqual([[roundId, 'abandoned']]);
      expect(s.store.loadLedger('injury').entries).toEqual([CHARGE]);
    });
  });

  describe('task configuration', () => {
    it('saves, validates and reloads', () => {
      const s = setup();
      const config = defaultTaskConfig('injury', { clientsPerRound: 8, minClients: 4 });
      s.store.saveTaskConfig(config);
      expect(s.reopen().loadTaskConfig('injury')).toEqual(config);
      expect(s.store.loadTaskConfig('readiness')).toBeNull();
      expect(() => s.store.saveTaskConfig({ ...config, minClients: 9 })).toThrow(/minClients/);
      expect(s.store.loadTaskConfig('injury')).toEqual(config);
      expect(s.store.taskConfigs()).toEqual([config]);
    });
  });

  it('refuses a database from a newer coordinator', () => {
    const s = setup();
    s.store.close();
    const db = s.side();
    db.pragma('user_version = 99');
    db.close();
    expect(() => s.reopen()).toThrow(/newer/);
  });
});
