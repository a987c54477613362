import { DAILY_LOG_COLUMNS } from './types.ts';

/** Edit distance (insertions, deletions, substitutions) between two short names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

const normalize = (name: string): string => name.toLowerCase().replace(/[\s\-.]+/g, '_');

/**
 * The daily-log column a mistyped or renamed header name most likely means (`sleep_hrs` -> `sleep_hours`,
 * `Date` -> `date`), among `candidates` (the known columns the header lacks), or null when none is close.
 */
export function suggestColumn(name: string, candidates: readonly string[] = DAILY_LOG_COLUMNS): string | null {
  const given = normalize(name);
  if (given === '') return null;
  let best: string | null = null;
  let bestScore = Infinity;
  for (const column of candidates) {
    const d = column.startsWith(given) || given.startsWith(column) ? Math.min(1, distance(given, column)) : distance(given, column);
    if (d < bestScore) {
      best = column;
      bestScore = d;
    }
  }
  const allowed = Math.max(1, Math.floor((best?.length ?? 0) / 3));
  return best !== null && bestScore <= allowed ? best : null;
}

const DELIMITER_NAMES: Readonly<Record<string, string>> = { ';': 'semicolon', '\t': 'tab', '|': 'pipe' };

/** "semicolon" when papaparse's guess for the file's delimiter is `;` (likewise tab and pipe); null for commas or no guess. */
export function otherDelimiterName(guessed: string | undefined): string | null {
  return guessed ? (DELIMITER_NAMES[guessed] ?? null) : null;
}
