import { checkProbabilityInputs } from './inputs.ts';

/** The probability given to the actual outcome is floored at this, so a certain mistake costs -ln(1e-15) = 34.54, not Infinity. */
export const LOG_LOSS_EPS = 1e-15;

/** Mean binary cross-entropy in nats. NaN on empty input. */
export function logLoss(probs: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkProbabilityInputs(probs, labels);
  if (probs.length === 0) return NaN;
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const pOutcome = labels[i] === 1 ? probs[i]! : 1 - probs[i]!;
    sum -= Math.log(Math.max(pOutcome, LOG_LOSS_EPS));
  }
  return sum / probs.length;
}
