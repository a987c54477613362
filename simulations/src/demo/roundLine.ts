import type { RoundRecord } from '@huddle/coordinator';

/**
 * "8 of 10 selected reported (2 extras discarded)": the engine over-selects, then closes the round once
 * `clientsPerRound` updates arrived; selected clients beyond that target are extras whose work was not
 * needed, not dropouts. Only a shortfall below the target counts as dropped.
 */
export function participationText(r: Pick<RoundRecord, 'selected' | 'reported'>, clientsPerRound: number): string {
  const selected = r.selected.length;
  const reported = r.reported.length;
  const target = Math.min(clientsPerRound, selected);
  const dropped = Math.max(0, target - reported);
  const extras = selected - reported - dropped;
  const notes = [dropped > 0 ? `${dropped} dropped` : null, extras > 0 ? `${extras} ${extras === 1 ? 'extra' : 'extras'} discarded` : null].filter((n) => n !== null);
  return `${reported} of ${selected} selected reported${notes.length > 0 ? ` (${notes.join(', ')})` : ''}`;
}

const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '  n/a' : v.toFixed(4));

/** One line of the demo's round table. */
export function roundLine(r: RoundRecord, clientsPerRound: number): string {
  if (r.status === 'abandoned') return `${String(r.round).padStart(5)}  ${r.task.padEnd(9)}  abandoned: ${r.reason}`;
  const m = r.metrics;
  const metric = r.task === 'injury' ? `ROC AUC ${fmt(m?.auc)} (${m?.positives ?? 0} of ${m?.evalExamples ?? 0} days positive)` : `MAE ${fmt(m?.mae)} (${m?.evalExamples ?? 0} days)`;
  const eps = r.privacy ? r.privacy.epsilon.toFixed(2) : 'n/a';
  return `${String(r.round).padStart(5)}  ${r.task.padEnd(9)}  ${participationText(r, clientsPerRound).padEnd(44)}  ${fmt(r.trainLoss).padStart(10)}  ${fmt(m?.loss).padStart(13)}  ${eps.padStart(7)}  ${metric}`;
}

export const ROUND_HEADER = `round  task       ${'participants'.padEnd(44)}  train loss  held-out loss  epsilon  held-out metric`;

const f3 = (v: number) => v.toFixed(3);

/** The quality the coordinator published with the round's model: model vs the athlete's own heuristic, paired over athletes. */
export function publishedQualityLine(r: RoundRecord): string | null {
  if (r.status !== 'completed') return null;
  const q = r.published?.quality;
  if (!q) return `       published: no validated quality (fewer than 3 athletes evaluated, or evaluation skipped)`;
  const evidence = q.positives !== undefined ? `${q.athletes} athletes, ${q.days} days, ${q.positives} positive` : `${q.athletes} athletes, ${q.days} days`;
  const verdict = q.verdict === 'better' ? 'beats it: forecasts shown' : q.verdict === 'worse' ? 'worse: not enough evidence yet' : 'inconclusive: not enough evidence yet';
  return `       published: ${q.metric} ${f3(q.model.value)} [${f3(q.model.lo)}, ${f3(q.model.hi)}] vs ${q.heuristic} ${f3(q.reference.value)}; paired difference ${f3(q.difference.value)} [${f3(q.difference.lo)}, ${f3(q.difference.hi)}] (${evidence}${q.noise === 'none' ? '' : `, ${q.noise} DP noise`}), ${verdict}`;
}
