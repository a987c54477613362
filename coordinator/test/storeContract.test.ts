import { describe, expect, it } from 'vitest';
import { abandonedRound, checkpoint, completedRound } from './helpers/records.ts';
import { storeContractFixture } from './helpers/storeContractFixture.ts';

// A real PostgreSQL server on loopback (Debian's package; installed when missing), one schema per test.
const { stores, freshStores } = storeContractFixture();

describe.each(stores)('CoordinatorStore contract: %s', (name, open) => {
  const fresh = freshStores(name, open);

  it('knows nothing of a task before its first checkpoint', () => {
    const { store } = fresh();
    expect(store.loadCheckpoint('injury')).toBeNull();
    expect(store.history('injury')).toEqual([]);
  });

  it('round-trips a checkpoint bit for bit, with its optimizer state', () => {
    const { store } = fresh();
    const weights = [0, -0, 1.5, -3.25e-7, 1e-45, 3.4e38, Math.PI];
    store.initCheckpoint(checkpoint('injury', 0, weights, { step: 3, moments: [0.1, 0.2] }));
    const loaded = store.loadCheckpoint('injury')!;
    expect(loaded.task).toBe('injury');
    expect(loaded.round).toBe(0);
    expect(loaded.weights).toBeInstanceOf(Float32Array);
    expect(new Uint8Array(loaded.weights.buffer, loaded.weights.byteOffset, loaded.weights.byteLength)).toEqual(new Uint8Array(Float32Array.from(weights).buffer));
    expect(loaded.optimizerState).toEqual({ step: 3, moments: [0.1, 0.2] });
  });

  it('keeps null and undefined optimizer states apart', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1], null));
    store.initCheckpoint({ ...checkpoint('readiness', 0, [1]), optimizerState: undefined });
    expect(store.loadCheckpoint('injury')!.optimizerState).toBeNull();
    expect(store.loadCheckpoint('readiness')!.optimizerState).toBeUndefined();
  });

  it('refuses a second initial checkpoint', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    expect(() => store.initCheckpoint(checkpoint('injury', 0, [3, 4]))).toThrow(/already has a checkpoint/);
    expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([1, 2]);
  });

  it('refuses to commit a round for a task without a checkpoint', () => {
    const { store } = fresh();
    expect(() => store.commitRound(completedRound('injury', 1), checkpoint('injury', 1, [1]))).toThrow(/no checkpoint/);
    expect(store.history('injury')).toEqual([]);
    expect(store.loadCheckpoint('injury')).toBeNull();
  });

  it('appends an abandoned round without touching the checkpoint', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const record = abandonedRound('injury', 1);
    store.commitRound(record, null);
    expect(store.history('injury')).toEqual([record]);
    expect(store.loadCheckpoint('injury')!.round).toBe(0);
    expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([1, 2]);
  });

  it('replaces the checkpoint with a completed round and keeps history in commit order', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const a = abandonedRound('injury', 1);
    const b = completedRound('injury', 1);
    const c = completedRound('injury', 2);
    store.commitRound(a, null);
    store.commitRound(b, checkpoint('injury', 1, [3, 4], { step: 1 }));
    store.commitRound(c, checkpoint('injury', 2, [5, 6], { step: 2 }));
    expect(store.history('injury')).toEqual([a, b, c]);
    const loaded = store.loadCheckpoint('injury')!;
    expect(loaded.round).toBe(2);
    expect(Array.from(loaded.weights)).toEqual([5, 6]);
    expect(loaded.optimizerState).toEqual({ step: 2 });
  });

  it('keeps tasks apart', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1]));
    store.initCheckpoint(checkpoint('readiness', 0, [2, 2]));
    const r = completedRound('readiness', 1);
    store.commitRound(r, checkpoint('readiness', 1, [9, 9]));
    expect(store.history('injury')).toEqual([]);
    expect(store.history('readiness')).toEqual([r]);
    expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([1]);
  });

  it('hands out copies: mutating loaded weights changes nothing stored', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    store.loadCheckpoint('injury')!.weights[0] = 99;
    expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([1, 2]);
  });

  it('survives closing and reopening', () => {
    const f = fresh();
    f.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const r = completedRound('injury', 1);
    f.store.commitRound(r, checkpoint('injury', 1, [3, 4], { step: 1 }));
    f.store.chargeLedger('injury', { samplingRate: 0.1, noiseMultiplier: 1.1, steps: 1 });
    const again = f.reopen();
    expect(again.history('injury')).toEqual([r]);
    expect(Array.from(again.loadCheckpoint('injury')!.weights)).toEqual([3, 4]);
    expect(again.loadLedger('injury')).toEqual({ taskId: 'injury', entries: [{ samplingRate: 0.1, noiseMultiplier: 1.1, steps: 1 }] });
  });

  it('starts each task with an empty privacy ledger and appends charges in order', () => {
    const { store } = fresh();
    expect(store.loadLedger('readiness')).toEqual({ taskId: 'readiness', entries: [] });
    store.chargeLedger('readiness', { samplingRate: 0.5, noiseMultiplier: 2, steps: 1 });
    const after = store.chargeLedger('readiness', { samplingRate: 0.25, noiseMultiplier: 1, steps: 3 });
    expect(after.entries).toEqual([
      { samplingRate: 0.5, noiseMultiplier: 2, steps: 1 },
      { samplingRate: 0.25, noiseMultiplier: 1, steps: 3 },
    ]);
    expect(store.loadLedger('readiness')).toEqual(after);
    expect(store.loadLedger('injury').entries).toEqual([]);
  });

  it('records a round left open by a crash as abandoned exactly once (engine recovery flow)', () => {
    const f = fresh();
    f.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    f.store.markRoundOpen('injury', 'injury-1-aa', 1);
    const store = f.reopen();
    const open = store.recoverOpenRounds();
    expect(open.map(({ task, roundId, round }) => ({ task, roundId, round }))).toEqual([{ task: 'injury', roundId: 'injury-1-aa', round: 1 }]);
    expect(Date.parse(open[0]!.startedAt)).not.toBeNaN();
    for (const o of open) store.commitRound({ ...abandonedRound(o.task, o.round), roundId: o.roundId, startedAt: o.startedAt, reason: 'stopped mid-round' }, null);
    const again = f.reopen();
    expect(again.recoverOpenRounds()).toEqual([]);
    const history = again.history('injury');
    expect(history.map((r) => [r.roundId, r.status])).toEqual([['injury-1-aa', 'abandoned']]);
    expect(again.loadCheckpoint('injury')!.round).toBe(0);
  });

  it('clears the open-round marker when the round is committed', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const record = completedRound('injury', 1);
    store.markRoundOpen('injury', record.roundId, 1);
    store.commitRound(record, checkpoint('injury', 1, [3, 4]));
    expect(store.recoverOpenRounds()).toEqual([]);
    store.markRoundOpen('injury', 'injury-2-bb', 2);
    store.clearOpenRound('injury');
    expect(store.recoverOpenRounds()).toEqual([]);
  });

  it('never counts the same round id twice', () => {
    const { store } = fresh();
    store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const record = completedRound('injury', 1);
    store.commitRound(record, checkpoint('injury', 1, [3, 4]));
    try {
      store.commitRound(record, checkpoint('injury', 1, [5, 6]));
    } catch {
      // refusing is as good as ignoring
    }
    expect(store.history('injury')).toEqual([record]);
    expect(Array.from(store.loadCheckpoint('injury')!.weights)).toEqual([3, 4]);
  });

  it('an abandoned round that released nothing refunds its own charge with its record; other charges stay', () => {
    const f = fresh();
    f.store.initCheckpoint(checkpoint('injury', 0, [1, 2]));
    const kept = { samplingRate: 0.1, noiseMultiplier: 1, steps: 1 };
    const refunded = { samplingRate: 0.2, noiseMultiplier: 1, steps: 1 };
    const done = completedRound('injury', 1);
    f.store.markRoundOpen('injury', done.roundId, 1, kept);
    f.store.commitRound(done, checkpoint('injury', 1, [3, 4]));
    const aborted = { ...abandonedRound('injury', 2), roundId: 'injury-2-refund' };
    f.store.markRoundOpen('injury', aborted.roundId, 2, refunded);
    expect(f.store.loadLedger('injury').entries).toEqual([kept, refunded]);
    f.store.commitAbandonedWithRefund(aborted);
    const again = f.reopen();
    expect(again.history('injury')).toEqual([done, aborted]);
    expect(again.recoverOpenRounds()).toEqual([]);
    // The file store has no transaction spanning record and ledger: it keeps the charge (over-counts, never forgets).
    expect(again.loadLedger('injury').entries).toEqual(name === 'FileStore' ? [kept, refunded] : [kept]);
  });

  it('refuses an invalid ledger charge and keeps the ledger as it was', () => {
    const { store } = fresh();
    expect(() => store.chargeLedger('injury', { samplingRate: 1.5, noiseMultiplier: 1, steps: 1 })).toThrow();
    expect(() => store.chargeLedger('injury', { samplingRate: 0.5, noiseMultiplier: 1, steps: 0 })).toThrow();
    expect(store.loadLedger('injury').entries).toEqual([]);
  });
});
