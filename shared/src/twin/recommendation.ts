import { dateFromDayNumber } from '../log/calendar-date.ts';
import { riskOver, PlanEvaluator, type TwinModel } from './evaluate.ts';
import { explainPlan, formatLimitPercent } from './explain.ts';
import { optimizePlan, planProblem, usualWeek, type Recommendation, type RecommendOptions, type RecommendRequest } from './recommend.ts';

/** Recommends the next days on the twin and explains every change against the draft (or the usual week). Advisory only. */
export function recommendPlan(model: TwinModel, req: RecommendRequest, options: RecommendOptions = {}): Recommendation {
  const problem = planProblem(model, req, options);
  const full = optimizePlan(problem, options);
  const loads = Array.from(full.subarray(0, problem.horizon));
  const baseline = req.baseline ? Array.from(req.baseline).slice(0, problem.horizon) : usualWeek(problem);
  const traj = new PlanEvaluator(model).run(full, problem.targetDay);
  const weeklyRisk = [];
  const notes: string[] = [];
  for (let k = 0; k * 7 < problem.horizon; k++) {
    const limit = problem.weekRiskLimit[k]!;
    weeklyRisk.push({ risk: riskOver(traj.risk, 7 * k, Math.min(problem.horizon, 7 * k + 7)), limit });
    if (limit > req.constraints.maxWeeklyRisk + 1e-9) {
      notes.push(`Week from ${dateFromDayNumber(problem.startDay + 7 * k)}: even resting, the twin puts your risk at ${(100 * limit).toFixed(1)}%, above your limit of ${formatLimitPercent(req.constraints.maxWeeklyRisk)}; the plan keeps it as low as rest does.`);
    }
  }
  return { startDate: dateFromDayNumber(problem.startDay), loads, baseline, reasons: explainPlan(problem, full, baseline), weeklyRisk, notes };
}
