import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { resolveOptions } from '../sim/options.ts';
import { resultsSchema, type SimResults } from '../sim/resultsSchema.ts';
import type { SweepPoint } from './config.ts';

export function pointFile(outDir: string, point: SweepPoint): string {
  return join(outDir, `${point.id}.json`);
}

/** Written whole or not at all, so an interrupted sweep never leaves a half file that looks done. */
export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}-${Math.random().toString(36).slice(2)}`;
  writeFileSync(tmp, JSON.stringify(value, null, 1));
  renameSync(tmp, path);
}

/** The point's stored result, if it exists, validates, and was computed with exactly this point's options. */
export function completedResult(outDir: string, point: SweepPoint): SimResults | null {
  const path = pointFile(outDir, point);
  if (!existsSync(path)) return null;
  let parsed;
  try {
    parsed = resultsSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  } catch {
    return null;
  }
  if (!parsed.success) return null;
  const { derived: _derived, ...stored } = parsed.data.config;
  return sameOptions(stored, resolveOptions(point.options)) ? parsed.data : null;
}

function sameOptions(a: object, b: object): boolean {
  const norm = (o: object) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined).sort(([x], [y]) => (x < y ? -1 : 1))));
  return norm(a) === norm(b);
}
