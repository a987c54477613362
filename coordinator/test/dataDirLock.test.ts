import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataDirLockedError, LOCK_FILE_NAME, dataDirLockHolder, lockDataDir } from '../src/store/dataDirLock.ts';
import { tempDir } from './helpers/tempDir.ts';

/** The pid of a process that has already exited. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('data directory lock', () => {
  it('refuses a second holder, naming the pid and purpose of the first, until it is released', () => {
    const d = tempDir();
    try {
      const first = lockDataDir(d.dir, 'coordinator');
      let refusal: unknown = null;
      try {
        lockDataDir(d.dir, 'restore');
      } catch (err) {
        refusal = err;
      }
      expect(refusal).toBeInstanceOf(DataDirLockedError);
      expect((refusal as Error).message).toContain(`coordinator pid ${process.pid}`);
      expect(dataDirLockHolder(d.dir)?.pid).toBe(process.pid);
      first.release();
      expect(existsSync(join(d.dir, LOCK_FILE_NAME))).toBe(false);
      expect(dataDirLockHolder(d.dir)).toBeNull();
      const second = lockDataDir(d.dir, 'restore');
      expect(JSON.parse(readFileSync(second.path, 'utf8')).purpose).toBe('restore');
      second.release();
    } finally {
      d.remove();
    }
  });

  it('takes over a lock whose holder died (kill -9, power loss)', () => {
    const d = tempDir();
    try {
      const pid = deadPid();
      writeFileSync(join(d.dir, LOCK_FILE_NAME), JSON.stringify({ pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', procStart: '1', purpose: 'coordinator' }));
      expect(dataDirLockHolder(d.dir)).toBeNull();
      const lock = lockDataDir(d.dir, 'coordinator');
      expect(JSON.parse(readFileSync(lock.path, 'utf8')).pid).toBe(process.pid);
      lock.release();
    } finally {
      d.remove();
    }
  });

  it('does not mistake a reused pid for the holder', () => {
    const d = tempDir();
    try {
      // Our own pid, but a start time that is not ours: the holder is gone and the pid was reused.
      writeFileSync(join(d.dir, LOCK_FILE_NAME), JSON.stringify({ pid: process.pid, host: hostname(), since: '2026-01-01T00:00:00.000Z', procStart: '0', purpose: 'coordinator' }));
      const lock = lockDataDir(d.dir, 'coordinator');
      lock.release();
    } finally {
      d.remove();
    }
  });

  it('a release does not remove a lock someone else has taken since', () => {
    const d = tempDir();
    try {
      const lock = lockDataDir(d.dir, 'coordinator');
      const other = JSON.stringify({ pid: 1, host: 'elsewhere', since: 'x', procStart: null, purpose: 'coordinator' });
      writeFileSync(lock.path, other);
      lock.release();
      expect(readFileSync(join(d.dir, LOCK_FILE_NAME), 'utf8')).toBe(other);
    } finally {
      d.remove();
    }
  });
});
