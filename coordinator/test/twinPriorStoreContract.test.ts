import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRIOR, type PublishedPrior } from '@huddle/shared/twin';
import { silentLogger } from '@huddle/shared/util';
import type { TwinPriorRound } from '../src/engine/prior/twinPriorRecord.ts';
import { importPriorFile } from '../src/store/priorFile.ts';
import type { PostgresStore } from '../src/store/postgresStore.ts';
import type { SqliteStore } from '../src/store/sqliteStore.ts';
import { storeContractFixture } from './helpers/storeContractFixture.ts';


const { stores, freshStores } = storeContractFixture();

function published(athletes: number, rounds: number): PublishedPrior {
  return { prior: { ...DEFAULT_PRIOR, athletes, logFatigueTau: { mean: Math.log(9 + rounds), sd: 0.3 } }, rounds, publishedAt: `2026-12-02T08:0${rounds}:00.000Z`, task: 'readiness', secureAggregation: true, noise: 'distributed', noiseMultiplier: 1 };
}

function priorRound(iteration: number, over: Partial<TwinPriorRound> = {}): TwinPriorRound {
  return { iteration, roundId: `twinPrior-${iteration}-0000000${iteration}`, startedAt: '2026-12-02T08:00:00.000Z', endedAt: '2026-12-02T08:00:05.000Z', status: 'completed', reason: null, selected: 12, reported: 11, athletes: 11, published: true, epsilon: 0.8, refunded: false, moments: [11, 2.5], noiseStd: [3.9, 3.9], ...over };
}

describe.each(stores)('twin-prior store contract: %s', (name, open) => {
  const fresh = freshStores(name, open);

  it('keeps the published prior and every prior round across a reopen; a round that publishes nothing keeps the prior', () => {
    const f = fresh();
    expect(f.store.loadTwinPrior()).toBeNull();
    expect(f.store.twinPriorRounds()).toEqual([]);
    const first = published(11, 1);
    f.store.commitTwinPriorRound('readiness', priorRound(1), { published: first, refund: false });
    const quiet = priorRound(2, { status: 'abandoned', reason: '2 contributions arrived, 3 needed', athletes: null, published: false, moments: null, noiseStd: null });
    f.store.commitTwinPriorRound('readiness', quiet, { published: null, refund: false });
    const again = f.reopen();
    expect(again.loadTwinPrior()).toEqual(first);
    expect(again.twinPriorRounds()).toEqual([priorRound(1), quiet]);
    const second = published(12, 2);
    again.commitTwinPriorRound('readiness', priorRound(3), { published: second, refund: false });
    expect(again.loadTwinPrior()).toEqual(second);
  });

  it('refunds the charge of a prior round that released nothing with its record (SQL stores); other charges stay', () => {
    const f = fresh();
    const kept = { samplingRate: 0.1, noiseMultiplier: 1, steps: 1 };
    const refunded = { samplingRate: 0.2, noiseMultiplier: 1, steps: 1 };
    f.store.chargeLedger('readiness', kept, 'twinPrior-1-0000001');
    f.store.commitTwinPriorRound('readiness', priorRound(1, { roundId: 'twinPrior-1-0000001' }), { published: published(11, 1), refund: false });
    f.store.chargeLedger('readiness', refunded, 'twinPrior-2-0000002');
    expect(f.store.loadLedger('readiness').entries).toEqual([kept, refunded]);
    const abandoned = priorRound(2, { roundId: 'twinPrior-2-0000002', status: 'abandoned', reason: '2 masked inputs arrived, 3 needed; nothing was unmasked', published: false, athletes: null });
    const stored = f.store.commitTwinPriorRound('readiness', abandoned, { published: null, refund: true });
    const sql = name !== 'FileStore';
    expect(stored.refunded).toBe(sql);
    const again = f.reopen();
    // The file store's ledger has no round ids: it keeps the charge (over-counts, never forgets).
    expect(again.loadLedger('readiness').entries).toEqual(sql ? [kept] : [kept, refunded]);
    expect(again.twinPriorRounds().map((r) => r.refunded)).toEqual([false, sql]);
  });

  it('refuses a round id recorded before, and changes nothing with it', () => {
    const f = fresh();
    const first = published(11, 1);
    f.store.chargeLedger('readiness', { samplingRate: 0.1, noiseMultiplier: 1, steps: 1 }, priorRound(1).roundId);
    f.store.commitTwinPriorRound('readiness', priorRound(1), { published: first, refund: false });
    expect(() => f.store.commitTwinPriorRound('readiness', priorRound(1), { published: published(50, 2), refund: true })).toThrow(/already recorded/);
    expect(f.store.loadTwinPrior()).toEqual(first);
    expect(f.store.twinPriorRounds()).toHaveLength(1);
    expect(f.store.loadLedger('readiness').entries).toHaveLength(1);
  });

  if (name !== 'FileStore') {
    it('takes in a twin-prior.json left by an older coordinator once, and never over a stored prior', () => {
      const f = fresh();
      const legacy = published(30, 4);
      writeFileSync(join(f.dir, 'twin-prior.json'), JSON.stringify(legacy));
      const store = f.store as SqliteStore | PostgresStore;
      expect(importPriorFile(f.dir, store, silentLogger)).toBe(true);
      expect(f.reopen().loadTwinPrior()).toEqual(legacy);
      const newer = published(40, 5);
      const reopened = f.reopen();
      reopened.commitTwinPriorRound('readiness', priorRound(5), { published: newer, refund: false });
      expect(importPriorFile(f.dir, reopened as SqliteStore, silentLogger)).toBe(false);
      expect(reopened.loadTwinPrior()).toEqual(newer);
    });
  }
});
