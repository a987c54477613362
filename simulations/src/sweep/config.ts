import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { SimUsageError, type SimOptionsInput } from '../sim/options.ts';
import { z } from 'zod';

/**
 * A sweep file: `base` simulator options (the keys of SimOptions, as in the results' `config`) and
 * `axes`, each an option name with the list of values to try; the grid is their cartesian product.
 */
export const sweepConfigSchema = z
  .object({
    name: z.string().min(1).max(100).optional(),
    base: z.record(z.string(), z.unknown()).default({}),
    axes: z.record(z.string(), z.array(z.unknown()).min(1)).refine((a) => Object.keys(a).length > 0, 'give at least one axis'),
    /** Where point results go; relative to the config file. Default: `<config name>-results` next to it. */
    outDir: z.string().min(1).optional(),
    /** Parallel workers; default: every core. */
    workers: z.number().int().positive().optional(),
  })
  .strict();

export interface SweepConfig {
  name: string;
  base: Record<string, unknown>;
  axes: Record<string, unknown[]>;
  outDir: string;
  workers: number | null;
}

export function readSweepConfig(path: string): SweepConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new SimUsageError(`sweep config ${path}: ${(err as Error).message}`);
  }
  const parsed = sweepConfigSchema.safeParse(raw);
  if (!parsed.success) throw new SimUsageError(`sweep config ${path}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`);
  const c = parsed.data;
  const name = c.name ?? path.replace(/^.*[\\/]/, '').replace(/\.json$/i, '');
  return {
    name,
    base: c.base,
    axes: c.axes,
    outDir: resolve(dirname(path), c.outDir ?? `${name}-results`),
    workers: c.workers ?? null,
  };
}

export interface SweepPoint {
  /** File-name-safe id built from the axis values, e.g. `noiseMultiplier=0.5,strategy=fedadam`. */
  id: string;
  values: Record<string, unknown>;
  options: SimOptionsInput;
}

/** The cartesian product of the axes, in axis order (the last axis varies fastest). */
export function gridPoints(c: Pick<SweepConfig, 'base' | 'axes'>): SweepPoint[] {
  let combos: Record<string, unknown>[] = [{}];
  for (const [axis, values] of Object.entries(c.axes)) combos = combos.flatMap((combo) => values.map((v) => ({ ...combo, [axis]: v })));
  const points = combos.map((values) => ({ id: pointId(values), values, options: { ...c.base, ...values } as SimOptionsInput }));
  const seen = new Set<string>();
  for (const p of points) {
    if (seen.has(p.id)) throw new SimUsageError(`two sweep points share the id ${p.id}: make the axis values distinct`);
    seen.add(p.id);
  }
  return points;
}

function pointId(values: Record<string, unknown>): string {
  return Object.entries(values)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(',')
    .replace(/[^A-Za-z0-9._=,+-]/g, '_')
    .slice(0, 180);
}
