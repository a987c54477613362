import { checkBinaryInputs } from './inputs.ts';

/**
 * PR AUC as average precision, scikit-learn's definition: AP = sum_k (R_k - R_{k-1}) P_k over the
 * distinct score thresholds in decreasing order (tied scores form one threshold; no interpolation).
 * NaN when there is no positive (including empty input) and, like rocAuc, when there is no negative.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  checkBinaryInputs(scores, labels);
  const n = scores.length;
  let positives = 0;
  for (let i = 0; i < n; i++) positives += labels[i]!;
  if (positives === 0 || positives === n) return NaN;

  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  let truePositives = 0;
  let predictedPositives = 0;
  let ap = 0;
  let i = 0;
  while (i < n) {
    let newPositives = 0;
    let j = i;
    for (; j < n && scores[order[j]!] === scores[order[i]!]; j++) newPositives += labels[order[j]!]!;
    truePositives += newPositives;
    predictedPositives += j - i;
    ap += (newPositives / positives) * (truePositives / predictedPositives);
    i = j;
  }
  return ap;
}
