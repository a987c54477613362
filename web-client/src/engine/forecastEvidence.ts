import { observedRiskNear, type PublishedEvaluation, type PublishedQuality } from '@huddle/shared/metrics';
import type { TaskId } from '@huddle/shared/model';

/** The athlete's own heuristic, shown beside every forecast: the reference a team model must beat. */
export interface HeuristicForecast {
  label: string;
  value: number;
}

/** What the app may say about a forecast's evidence (read by ui/forecastView.ts's presentForecast). */
export interface Evidence {
  validated: boolean;
  quality?: { metric: string; value: number; low: number; high: number; days: number; positives?: number; athletes?: number; reference?: string; difference?: { value: number; low: number; high: number } };
  interval?: { low: number; high: number; level: number };
  observed?: { fromRisk: number; toRisk: number; days: number; positives: number; rate: number; low: number; high: number };
  evidenceNote?: string;
  heuristic?: HeuristicForecast;
}

const f2 = (v: number) => v.toFixed(v < 0.1 ? 3 : 2);

function qualityWords(q: PublishedQuality): string {
  const evidence = q.positives !== undefined ? `${q.athletes} athletes, ${q.days} held-out days, ${q.positives} with an injury` : `${q.athletes} athletes, ${q.days} held-out days`;
  return `${q.metric} ${f2(q.model.value)} against ${f2(q.reference.value)} for ${q.heuristic} (difference ${f2(q.difference.value)}, 95% interval ${f2(q.difference.lo)} to ${f2(q.difference.hi)}; ${evidence})`;
}

/**
 * A forecast is validated only when the quality published with exactly this model version beats the athlete's own
 * heuristic: the paired 95% interval of (model - heuristic) error lies wholly below 0. Readiness then gets a 95%
 * interval of +-1.96 x the federation's held-out RMSE; injury gets how often the federation's held-out days with a
 * forecast near this one were followed by an injury, whose 95% interval is the forecast's when it contains it.
 */
export function forecastEvidence(task: TaskId, modelRound: number, published: PublishedEvaluation | null | undefined, value: number, heuristic: HeuristicForecast | undefined): Evidence {
  const base = heuristic ? { heuristic } : {};
  const p = published && published.model.round === modelRound ? published : null;
  if (!p?.quality) {
    return { ...base, validated: false, evidenceNote: `the team model (round ${modelRound}) has not yet been validated: no federated evaluation was published with it` };
  }
  const q = p.quality;
  const quality = {
    metric: q.metric,
    value: q.model.value,
    low: q.model.lo,
    high: q.model.hi,
    days: q.days,
    athletes: q.athletes,
    reference: q.heuristic,
    difference: { value: q.difference.value, low: q.difference.lo, high: q.difference.hi },
    ...(q.positives !== undefined ? { positives: q.positives } : {}),
  };
  if (q.verdict !== 'better') {
    return { ...base, validated: false, quality, evidenceNote: `the team model (round ${modelRound}) has not yet been validated: its federated evaluation does not show that it beats ${q.heuristic} (${qualityWords(q)})` };
  }
  if (task === 'injury') {
    const o = q.calibration ? observedRiskNear(q.calibration, value) : null;
    if (!o) return { ...base, validated: true, quality };
    const observed = { fromRisk: o.fromRisk, toRisk: o.toRisk, days: o.days, positives: o.positives, rate: o.rate, low: o.low, high: o.high };
    const contains = o.low <= value && value <= o.high;
    return { ...base, validated: true, quality, observed, ...(contains ? { interval: { low: o.low, high: o.high, level: o.level } } : {}) };
  }
  const interval = q.rmse !== undefined ? { low: Math.max(0, value - 1.96 * q.rmse), high: Math.min(10, value + 1.96 * q.rmse), level: 0.95 } : undefined;
  return { ...base, validated: true, quality, ...(interval ? { interval } : {}) };
}
