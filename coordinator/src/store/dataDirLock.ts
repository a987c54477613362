import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

export const LOCK_FILE_NAME = 'coordinator.lock';

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  /** When the holder took the lock (ISO time). */
  since: string;
  /** The holder's start time in clock ticks since boot (Linux), to tell a reused pid from the holder. */
  procStart: string | null;
  /** What holds it: "coordinator", "restore", "admin-token". */
  purpose: string;
}

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder,
  ) {
    super(
      `the data directory ${dataDir} is in use by ${holder.purpose} pid ${holder.pid} on ${holder.host} (since ${holder.since}); ` +
        `stop it first (a coordinator stops on SIGINT or SIGTERM). If that process is gone, delete ${join(dataDir, LOCK_FILE_NAME)}`,
    );
    this.name = 'DataDirLockedError';
  }
}

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock file if it is still ours; safe to call twice. */
  release(): void;
}

/** Field 22 of /proc/PID/stat: the process's start time since boot. Null off Linux or when the process is gone. */
function processStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

function isAlive(holder: LockHolder): boolean {
  if (holder.host !== hostname()) return true; // cannot tell: assume it runs
  try {
    process.kill(holder.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  // The pid exists; on Linux, check it is still the process that took the lock and not a reuse.
  const start = holder.procStart === null ? null : processStart(holder.pid);
  return start === null || start === holder.procStart;
}

function readHolder(path: string): LockHolder | null {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || typeof parsed.host !== 'string') return null;
    return { pid: parsed.pid, host: parsed.host, since: String(parsed.since), procStart: parsed.procStart ?? null, purpose: String(parsed.purpose ?? 'a process') };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * Takes the exclusive lock on a data directory, or throws `DataDirLockedError` naming the process
 * holding it. The lock file is written whole under a private name and hard-linked into place
 * (atomic, fails if it exists), so a reader never sees half a lock. A lock left by a process that
 * died (kill -9, power loss) is taken over.
 */
export function lockDataDir(dataDir: string, purpose: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const path = join(dataDir, LOCK_FILE_NAME);
  const mine: LockHolder = { pid: process.pid, host: hostname(), since: new Date().toISOString(), procStart: processStart(process.pid), purpose };
  const draft = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(draft, `${JSON.stringify(mine)}\n`, { mode: 0o644, flush: true });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, path);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const holder = readHolder(path);
        if (holder && isAlive(holder)) throw new DataDirLockedError(dataDir, holder);
        if (attempt > 0) throw new Error(`cannot take the lock ${path}: another process keeps replacing it`);
        // Stale (holder dead) or unreadable: remove it and try once more.
        try {
          unlinkSync(path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        }
      }
    }
  } finally {
    unlinkSync(draft);
  }
  let held = true;
  const release = () => {
    if (!held) return;
    held = false;
    process.off('exit', release);
    const holder = readHolder(path);
    if (holder && holder.pid === mine.pid && holder.since === mine.since) unlinkSync(path);
  };
  process.on('exit', release);
  return { path, release };
}

/** Who holds the data directory's lock, if a live process does. */
export function dataDirLockHolder(dataDir: string): LockHolder | null {
  const holder = readHolder(join(dataDir, LOCK_FILE_NAME));
  return holder && isAlive(holder) ? holder : null;
}
