import { dateFromDayNumber } from '../log/calendar-date.ts';
import { PlanEvaluator, riskOver } from './evaluate.ts';
import { HARD_DAY_SHARE, violations, type PlanProblem } from './recommend.ts';
import { dayLabel } from './validate.ts';

export interface DayReason {
  date: string;
  change: 'kept' | 'lowered' | 'raised' | 'rest';
  from: number;
  to: number;
  reason: string;
}

const pct = (p: number) => `${(100 * p).toFixed(p < 0.1 ? 1 : 0)}%`;
/** Decimals a limit needs as a percentage: one (3.0%), or two when it has them (2.75%). */
const limitDigits = (limit: number): number => (Math.abs(100 * limit - Number((100 * limit).toFixed(1))) > 1e-9 ? 2 : 1);
/** A risk limit as a percentage with the digits it was set with. */
export const formatLimitPercent = (limit: number): string => `${(100 * limit).toFixed(limitDigits(limit))}%`;
/** Two percentages that must read as different (a value just above its limit). */
const pctPair = (value: number, limit: number): [string, string] => {
  const digits = Math.max(limitDigits(limit), (100 * value).toFixed(1) === (100 * limit).toFixed(1) ? 2 : 1);
  return [`${(100 * value).toFixed(digits)}%`, `${(100 * limit).toFixed(digits)}%`];
};
const WEEKDAY = (date: string) => dayLabel(date).split(' ')[0]!;

/**
 * Why each day of the recommendation differs from the baseline: the day is put back to its baseline load alone, and the
 * first limit that breaks (or the objective's trade-off) is the reason, with the twin's numbers.
 */
export function explainPlan(problem: PlanProblem, recommended: ArrayLike<number>, baseline: readonly number[]): DayReason[] {
  const evaluator = new PlanEvaluator(problem.model);
  const scale = problem.model.state.loadScale;
  const c = problem.constraints;
  const rec = Float64Array.from(recommended);
  const recTraj = evaluator.run(rec, problem.targetDay);
  const recRisk = Array.from(recTraj.risk);
  const recTarget = recTraj.targetPerformance;
  const out: DayReason[] = [];
  for (let d = 0; d < problem.horizon; d++) {
    const date = dateFromDayNumber(problem.startDay + d);
    const day = WEEKDAY(date);
    const from = Math.round(baseline[d] ?? 0);
    const to = Math.round(rec[d]!);
    if (problem.cap[d] === 0 && c.restWeekdays.includes((((problem.startDay + d + 3) % 7) + 7) % 7)) {
      out.push({ date, change: 'rest', from, to, reason: `${day} stays a rest day: you fixed it as one.` });
      continue;
    }
    if (Math.abs(to - from) < Math.max(0.1 * from, 0.1 * scale)) {
      out.push({ date, change: 'kept', from, to, reason: `${day} kept at about ${to} AU.` });
      continue;
    }
    const change = to < from ? 'lowered' : 'raised';
    const alt = Float64Array.from(rec);
    alt[d] = from;
    const broken = violations(problem, alt, evaluator).filter((v) => v.week === Math.floor(d / 7) || v.day === d);
    const week = Math.floor(d / 7);
    let reason: string;
    if (change === 'lowered' && problem.goal.kind === 'return' && from > problem.cap[d]!) {
      reason = `${day} lowered: back from injury, day ${d + 1} of the return is capped at ${Math.round(problem.cap[d]!)} AU.`;
    } else if (change === 'lowered' && broken.length > 0) {
      const v = broken.find((x) => x.kind === 'risk') ?? broken.find((x) => x.day === d) ?? broken[0]!;
      const hardPair = from >= HARD_DAY_SHARE * scale && ((d > 0 && rec[d - 1]! >= HARD_DAY_SHARE * scale) || (d + 1 < rec.length && rec[d + 1]! >= HARD_DAY_SHARE * scale));
      const what = hardPair ? 'two hard days in a row' : `${from} AU`;
      switch (v.kind) {
        case 'risk': {
          const [value, limit] = pctPair(v.value, v.limit);
          reason = `${day} lowered: ${what} would take this week's injury risk to ${value} (your limit ${limit}).`;
          break;
        }
        case 'acwr':
          reason = `${day} lowered: ${what} would push your acute:chronic ratio to ${v.value.toFixed(2)} (limit ${v.limit.toFixed(2)}).`;
          break;
        case 'increase':
          reason = `${day} lowered: ${what} would make this week ${pct(v.value / (v.limit / (1 + c.maxWeeklyIncrease)) - 1)} heavier than the one before (limit +${pct(c.maxWeeklyIncrease)}).`;
          break;
        case 'hardDays':
          reason = `${day} lowered: two hard days in a row (both above ${v.limit.toFixed(2)} usual days); hard days are kept apart because readiness, and with it the injury risk, suffers the day after a hard one.`;
          break;
        case 'monotony':
          reason = `${day} lowered: ${what} would make the days too alike (monotony ${v.value.toFixed(1)}, limit ${v.limit.toFixed(1)}).`;
          break;
      }
    } else {
      const altTraj = evaluator.run(alt, problem.targetDay);
      const riskDelta = riskOver(recRisk, 7 * week, 7 * week + 7) - riskOver(altTraj.risk, 7 * week, 7 * week + 7);
      const perfDelta = (recTarget - altTraj.targetPerformance) / Math.abs(altTraj.targetPerformance || 1);
      const target = dateFromDayNumber(problem.startDay + problem.targetDay);
      if (change === 'lowered') {
        reason =
          problem.goal.kind === 'taper' && problem.targetDay - d <= 14
            ? `${day} lowered to arrive fresh on ${dayLabel(target)}: fatigue fades faster than fitness (performance ${perfDelta >= 0 ? '+' : ''}${pct(perfDelta)} that day).`
            : `${day} lowered: the extra ${from - to} AU would add ${pct(-riskDelta)} injury risk this week for little fitness.`;
      } else {
        const gain = Math.abs(perfDelta) >= 0.0005 ? ` (${perfDelta >= 0 ? '+' : ''}${pct(perfDelta)})` : '';
        reason = `${day} raised: room under your limits (this week's risk ${pct(riskOver(recRisk, 7 * week, 7 * week + 7))}, limit ${formatLimitPercent(problem.weekRiskLimit[week]!)}); it builds fitness for ${dayLabel(target)}${gain}.`;
      }
    }
    out.push({ date, change, from, to, reason });
  }
  return out;
}
