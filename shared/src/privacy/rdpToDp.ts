/** Conversion of Rényi DP curves to (epsilon, delta)-DP. */
import { requireOpenUnit } from './checks.ts';

export const CONVERSIONS = ['balle2020', 'mironov2017'] as const;

/**
 * - `balle2020`: Balle, Barthe, Gaboardi, Hsu, Sato 2020, "Hypothesis Testing Interpretations and
 *   Rényi Differential Privacy", Theorem 21; equally Canonne, Kamath, Steinke 2020, Proposition 12:
 *   eps = rdp + log1p(-1/alpha) - (log(delta) + log(alpha)) / (alpha - 1). What TF Privacy's
 *   get_privacy_spent uses; never larger than the classic bound for alpha > 1.
 * - `mironov2017`: Mironov 2017, "Rényi Differential Privacy", Proposition 3:
 *   eps = rdp + log(1/delta) / (alpha - 1).
 */
export type Conversion = (typeof CONVERSIONS)[number];

export interface EpsilonResult {
  epsilon: number;
  /** The RDP order at which the bound is tightest. */
  order: number;
  conversion: Conversion;
}

/** TF Privacy's floor: the balle2020 bound is numerically unstable as alpha -> 1 and useless there anyway. */
const MIN_BALLE_ORDER = 1.01;

function balle2020(alpha: number, rdp: number, logDelta: number): number {
  // delta >= sqrt(1 - exp(-KL)) with KL <= rdp: the pair is (0, delta)-DP already.
  if (Math.exp(2 * logDelta) + Math.expm1(-rdp) >= 0) return 0;
  if (alpha <= MIN_BALLE_ORDER) return Infinity;
  return rdp + Math.log1p(-1 / alpha) - (logDelta + Math.log(alpha)) / (alpha - 1);
}

function mironov2017(alpha: number, rdp: number, logDelta: number): number {
  return rdp - logDelta / (alpha - 1);
}

/** The smallest epsilon over the given orders such that the mechanism is (epsilon, delta)-DP. */
export function epsilonFromRdp(
  orders: readonly number[],
  rdp: readonly number[],
  delta: number,
  conversion: Conversion = 'balle2020',
): EpsilonResult {
  if (orders.length === 0 || orders.length !== rdp.length) {
    throw new RangeError(`orders and rdp must be non-empty and of equal length (${orders.length} vs ${rdp.length})`);
  }
  requireOpenUnit('delta', delta);
  if (!CONVERSIONS.includes(conversion)) throw new RangeError(`unknown conversion ${String(conversion)}`);
  const convert = conversion === 'balle2020' ? balle2020 : mironov2017;
  const logDelta = Math.log(delta);
  let best: EpsilonResult = { epsilon: Infinity, order: orders[0]!, conversion };
  orders.forEach((alpha, k) => {
    const r = rdp[k]!;
    if (!(alpha > 1)) throw new RangeError(`RDP orders must be > 1, got ${alpha}`);
    if (!(r >= 0)) throw new RangeError(`RDP values must be >= 0, got ${r} at order ${alpha}`);
    const epsilon = Math.max(0, convert(alpha, r, logDelta));
    if (epsilon < best.epsilon) best = { epsilon, order: alpha, conversion };
  });
  return best;
}
