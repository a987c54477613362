import { checkProbabilityInputs } from './inputs.ts';

/** Mean squared difference between predicted probability and outcome. NaN on empty input. */
export function brierScore(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkProbabilityInputs(probs, labels);
  if (probs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) sum += (probs[i]! - labels[i]!) ** 2;
  return sum / probs.length;
}
