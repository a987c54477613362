import type { Logger } from '@huddle/shared/util';

/** First and last epoch millisecond at which each named step of the round happened in one process. */
export type Phases = Record<string, [number, number]>;

/** Records when `name` happened (first and last time) in `phases`. */
export function notePhase(phases: Phases, name: string, at = Date.now()): void {
  const p = phases[name];
  if (p) p[1] = at;
  else phases[name] = [at, at];
}

/**
 * A node's logger for the load bench: warnings and errors go to `base`; the round's info lines (round started,
 * cohort fit started, cohort sum ready, ...) are not printed but timed, so the bench can say where a round's time goes.
 * Evaluation cohorts (names ending in /e) are told apart from fit cohorts.
 */
export function phaseLogger(base: Logger, phases: Phases): Logger {
  const note = (obj: object, msg?: string) => {
    if (msg === undefined) return;
    const cohort = (obj as { cohort?: unknown }).cohort;
    notePhase(phases, typeof cohort === 'string' && cohort.endsWith('/e') ? `${msg} (evaluation)` : msg);
  };
  return { info: note, debug: note, warn: (o, m) => base.warn(o, m), error: (o, m) => base.error(o, m) };
}

/**
 * Each step's [first, last] over every process, in ms from `t0` (the leader's start of the round), in time order.
 * `from` says which kind of process saw it (node, client).
 */
export function mergePhases(t0: number, sources: { from: string; phases: Phases }[]): Record<string, [number, number]> {
  const merged = new Map<string, [number, number]>();
  for (const { from, phases } of sources) {
    for (const [name, [first, last]] of Object.entries(phases)) {
      const key = `${from}: ${name}`;
      const m = merged.get(key);
      merged.set(key, m ? [Math.min(m[0], first), Math.max(m[1], last)] : [first, last]);
    }
  }
  return Object.fromEntries([...merged].sort((a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1]).map(([k, [a, b]]) => [k, [a - t0, b - t0]]));
}
