import { checkBinCount, tableFromSums, uniformBin, type CalibrationBin, type CalibrationOptions } from './calibrationBins.ts';
import { checkProbabilityInputs } from './inputs.ts';

export type { CalibrationBin, CalibrationOptions, CalibrationStrategy } from './calibrationBins.ts';

/** Always returns `bins` rows (empty ones with count 0), so tables from different models line up. */
export function calibrationTable(
  probs: ArrayLike<number>,
  labels: ArrayLike<number>,
  options: CalibrationOptions = {},
): CalibrationBin[] {
  checkProbabilityInputs(probs, labels);
  const bins = checkBinCount(options.bins ?? 10);
  const n = probs.length;
  const binOf = new Int32Array(n);
  if ((options.strategy ?? 'quantile') === 'uniform') {
    for (let i = 0; i < n; i++) binOf[i] = uniformBin(probs[i]!, bins);
  } else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[a]! - probs[b]!);
    let runStart = 0;
    for (let r = 0; r < n; r++) {
      if (r > 0 && probs[order[r]!] !== probs[order[r - 1]!]) runStart = r;
      binOf[order[r]!] = Math.floor((runStart * bins) / n);
    }
  }
  const count = new Float64Array(bins);
  const sumPredicted = new Float64Array(bins);
  const positives = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const b = binOf[i]!;
    count[b]!++;
    sumPredicted[b]! += probs[i]!;
    positives[b]! += labels[i]!;
  }
  return tableFromSums(count, sumPredicted, positives);
}
