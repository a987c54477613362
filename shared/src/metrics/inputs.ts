/** Checks a (scores, labels) pair for the binary metrics: equal lengths, labels 0/1, finite scores. */
export function checkBinaryInputs(scores: ArrayLike<number>, labels: ArrayLike<number>): void {
  if (scores.length !== labels.length) {
    throw new RangeError(`scores (${scores.length}) and labels (${labels.length}) differ in length`);
  }
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    if (y !== 0 && y !== 1) throw new RangeError(`label ${i} is ${String(y)}, expected 0 or 1`);
    if (!Number.isFinite(scores[i])) throw new RangeError(`score ${i} is ${String(scores[i])}, expected a finite number`);
  }
}

/** Like checkBinaryInputs, and also requires every score to be a probability in [0, 1]. */
export function checkProbabilityInputs(probs: ArrayLike<number>, labels: ArrayLike<number>): void {
  checkBinaryInputs(probs, labels);
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p < 0 || p > 1) throw new RangeError(`probability ${i} is ${p}, outside [0, 1]`);
  }
}

/** Checks a (predictions, targets) pair for the regression metrics. */
export function checkRegressionInputs(predicted: ArrayLike<number>, actual: ArrayLike<number>): void {
  if (predicted.length !== actual.length) {
    throw new RangeError(`predicted (${predicted.length}) and actual (${actual.length}) differ in length`);
  }
  for (let i = 0; i < predicted.length; i++) {
    if (!Number.isFinite(predicted[i]) || !Number.isFinite(actual[i])) {
      throw new RangeError(`pair ${i} is (${String(predicted[i])}, ${String(actual[i])}), expected finite numbers`);
    }
  }
}
