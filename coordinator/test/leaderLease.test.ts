import { describe, expect, it } from 'vitest';
import { migratePostgres } from '../src/store/postgresSchema.ts';
import { PostgresSyncDb } from '../src/store/sql/postgresSyncDb.ts';
import { LeaderLease } from '../src/store/leaderLease.ts';
import { usePostgres } from './helpers/usePostgres.ts';

const postgres = usePostgres();

describe('LeaderLease on PostgreSQL', () => {
  it('has one holder at a time, is renewed by it, and passes to another node with a higher term after expiry or release', async () => {
    const url = await postgres.createSchema();
    let clock = 1_000;
    const a = new PostgresSyncDb(url);
    const b = new PostgresSyncDb(url);
    migratePostgres(a);
    try {
      const leaseA = new LeaderLease(a, 'rounds:injury', 'node-a', 5_000, () => clock);
      const leaseB = new LeaderLease(b, 'rounds:injury', 'node-b', 5_000, () => clock);
      const first = leaseA.acquire();
      expect(first).toEqual({ holder: 'node-a', expiresAt: 6_000, term: 1 });
      expect(leaseB.acquire()).toBeNull();
      clock = 5_000;
      expect(leaseA.acquire()).toEqual({ holder: 'node-a', expiresAt: 10_000, term: 1 });
      clock = 9_999;
      expect(leaseB.acquire()).toBeNull();
      clock = 10_001;
      expect(leaseB.acquire()).toEqual({ holder: 'node-b', expiresAt: 15_001, term: 2 });
      expect(leaseA.acquire()).toBeNull();
      expect(leaseA.current()?.holder).toBe('node-b');
      leaseB.release();
      expect(leaseA.current()).toBeNull();
      expect(leaseA.acquire()).toEqual({ holder: 'node-a', expiresAt: 15_001, term: 3 });
      const other = new LeaderLease(b, 'rounds:readiness', 'node-b', 5_000, () => clock);
      expect(other.acquire()?.term).toBe(1);
    } finally {
      a.close();
      b.close();
    }
  });

  it('reports an unreachable database as an error naming PostgreSQL, and works again when it returns', async () => {
    const url = await postgres.createSchema();
    const db = new PostgresSyncDb(url, { connectTimeoutMs: 1_000, queryTimeoutMs: 2_000 });
    migratePostgres(db);
    try {
      const lease = new LeaderLease(db, 'rounds:injury', 'node-a', 5_000);
      expect(lease.acquire()?.holder).toBe('node-a');
      await postgres.stopServer();
      expect(() => lease.acquire()).toThrow(/PostgreSQL/);
      await postgres.startServer();
      expect(lease.acquire()?.holder).toBe('node-a');
    } finally {
      db.close();
    }
  }, 60_000);
});
