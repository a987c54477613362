import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  ticksPerSecond ??= Number.parseInt(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout ?? '', 10) || 100;
  return ticksPerSecond;
}

/**
 * CPU seconds (user + system) used so far by the live descendants of `rootPid` (a browser this process launched),
 * read from Linux's /proc; null elsewhere. On a shared machine, samples per CPU-second estimates what one idle core
 * would do, where samples per wall-second is what this run got.
 */
export function descendantCpuSeconds(rootPid: number = process.pid): number | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const parent = new Map<number, number>();
  const ticks = new Map<number, number>();
  for (const d of entries) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${d}/stat`, 'utf8');
    } catch {
      continue; // exited meanwhile
    }
    // Fields after the parenthesised command name: state ppid ... utime (14th field) stime (15th).
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    parent.set(Number(d), Number(rest[1]));
    ticks.set(Number(d), Number(rest[11]) + Number(rest[12]));
  }
  let total = 0;
  for (const [pid, t] of ticks) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === rootPid) {
        total += t;
        break;
      }
    }
  }
  return total / clockTicks();
}
