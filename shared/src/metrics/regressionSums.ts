import { checkRegressionInputs } from './inputs.ts';

/** Mergeable sufficient statistics for MAE and RMSE: only these leave a client in federated evaluation. */
export interface RegressionSums {
  n: number;
  sumAbsError: number;
  sumSquaredError: number;
}

export function emptyRegressionSums(): RegressionSums {
  return { n: 0, sumAbsError: 0, sumSquaredError: 0 };
}

export function regressionSums(predicted: ArrayLike<number>, actual: ArrayLike<number>): RegressionSums {
  checkRegressionInputs(predicted, actual);
  const sums = emptyRegressionSums();
  for (let i = 0; i < predicted.length; i++) {
    const e = predicted[i]! - actual[i]!;
    sums.n++;
    sums.sumAbsError += Math.abs(e);
    sums.sumSquaredError += e * e;
  }
  return sums;
}

export function addRegressionSums(a: RegressionSums, b: RegressionSums): RegressionSums {
  return { n: a.n + b.n, sumAbsError: a.sumAbsError + b.sumAbsError, sumSquaredError: a.sumSquaredError + b.sumSquaredError };
}

/** NaN when n = 0. */
export function maeFromSums(sums: RegressionSums): number {
  return sums.n === 0 ? NaN : sums.sumAbsError / sums.n;
}

/** NaN when n = 0. */
export function rmseFromSums(sums: RegressionSums): number {
  return sums.n === 0 ? NaN : Math.sqrt(sums.sumSquaredError / sums.n);
}
