import type { FitOutcome, UpdateAggregator } from './strategy.ts';

/**
 * Byzantine-robust rules of Yin et al. 2018. Both are unweighted (one client, one vote) and need every
 * client's own update, so they cannot run under secure aggregation.
 */
function columns(outcomes: readonly FitOutcome[]): { dim: number; rows: Float32Array[] } {
  if (outcomes.length === 0) throw new Error('cannot aggregate zero updates');
  const dim = outcomes[0]!.update.length;
  for (const o of outcomes) {
    if (o.update.length !== dim) throw new Error(`update of ${o.clientId} has ${o.update.length} values, expected ${dim}`);
  }
  return { dim, rows: outcomes.map((o) => o.update) };
}

/** Sorted values of coordinate i into `buf`. */
function sortedColumn(rows: readonly Float32Array[], i: number, buf: Float64Array): Float64Array {
  for (let k = 0; k < rows.length; k++) buf[k] = rows[k]![i]!;
  return buf.sort();
}

export function coordinateMedian(outcomes: readonly FitOutcome[]): Float32Array {
  const { dim, rows } = columns(outcomes);
  const n = rows.length;
  const buf = new Float64Array(n);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const s = sortedColumn(rows, i, buf);
    out[i] = n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
  }
  return out;
}

/** Per coordinate, drops the floor(trimFraction * n) largest and smallest values and averages the rest. */
export function trimmedMean(outcomes: readonly FitOutcome[], trimFraction: number): Float32Array {
  if (!(trimFraction >= 0 && trimFraction < 0.5)) throw new RangeError(`trim fraction must be in [0, 0.5), got ${trimFraction}`);
  const { dim, rows } = columns(outcomes);
  const n = rows.length;
  const cut = Math.floor(trimFraction * n);
  const buf = new Float64Array(n);
  const out = new Float32Array(dim);
  for (let i = 0; i < dim; i++) {
    const s = sortedColumn(rows, i, buf);
    let sum = 0;
    for (let k = cut; k < n - cut; k++) sum += s[k]!;
    out[i] = sum / (n - 2 * cut);
  }
  return out;
}

export const medianAggregator: UpdateAggregator = {
  name: 'median',
  needsIndividualUpdates: true,
  aggregate: coordinateMedian,
};

export function trimmedMeanAggregator(trimFraction: number): UpdateAggregator {
  return {
    name: 'trimmed-mean',
    needsIndividualUpdates: true,
    aggregate: (outcomes) => trimmedMean(outcomes, trimFraction),
  };
}
