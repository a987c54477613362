import { checkRegressionInputs } from './inputs.ts';

/** Mean absolute error. NaN on empty input. */
export function mae(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkRegressionInputs(predicted, actual);
  if (predicted.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += Math.abs(predicted[i]! - actual[i]!);
  return sum / predicted.length;
}

/** Root mean squared error. NaN on empty input. */
export function rmse(predicted: ArrayLike<number>, actual: ArrayLike<number>): number {
  checkRegressionInputs(predicted, actual);
  if (predicted.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < predicted.length; i++) sum += (predicted[i]! - actual[i]!) ** 2;
  return Math.sqrt(sum / predicted.length);
}
