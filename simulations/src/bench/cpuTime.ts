import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number.parseInt(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout ?? '', 10) || 100;
  return ticksPerSecond;
}

/** ppid and utime + stime (ticks) of a /proc stat line: the fields after the parenthesised command name. */
function parseStat(stat: string): { ppid: number; ticks: number } {
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { ppid: Number(rest[1]), ticks: Number(rest[11]) + Number(rest[12]) };
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // exited meanwhile
  }
}

/** The live descendants of `rootPid` with their CPU ticks, or null without /proc. */
function descendants(rootPid: number): Map<number, number> | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const d of entries) {
    const stat = read(`/proc/${d}/stat`);
    if (stat === null) continue;
    const s = parseStat(stat);
    parent.set(Number(d), s.ppid);
    ticks.set(Number(d), s.ticks);
  }
  const out = new Map<number, number>();
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === rootPid) {
        out.set(pid, t);
        break;
      }
    }
  }
  return out;
}

/**
 * CPU seconds (user + system) used so far by the live descendants of `rootPid` (a browser this process launched),
 * read from Linux's /proc; null elsewhere. On a shared machine, samples per CPU-second estimates what one idle core
 * would do, where samples per wall-second is what this run got.
 */
export function descendantCpuSeconds(rootPid: number = process.pid): number | null {
  const all = descendants(rootPid);
  if (!all) return null;
  let total = 0;
  for (const t of all.values()) total += t;
  return total / clockTicks();
}

/** CPU ticks per thread (keyed "pid/tid") of the descendants' threads whose name starts with `prefix`. */
export type ThreadTicks = Map<string, number>;

export function threadTicks(prefix: string, rootPid: number = process.pid): ThreadTicks | null {
  const all = descendants(rootPid);
  if (!all) return null;
  const out: ThreadTicks = new Map();
  for (const pid of all.keys()) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      if (!read(`/proc/${pid}/task/${tid}/comm`)?.startsWith(prefix)) continue;
      const stat = read(`/proc/${pid}/task/${tid}/stat`);
      if (stat !== null) out.set(`${pid}/${tid}`, parseStat(stat).ticks);
    }
  }
  return out;
}

/**
 * CPU seconds the matching threads used between two snapshots: threads that ended meanwhile are left out, threads
 * that started meanwhile count from zero. Chromium names a dedicated worker's thread "DedicatedWorker thread".
 */
export function threadCpuSecondsBetween(before: ThreadTicks, after: ThreadTicks): number {
  let ticks = 0;
  for (const [key, t] of after) ticks += t - (before.get(key) ?? 0);
  return ticks / clockTicks();
}
