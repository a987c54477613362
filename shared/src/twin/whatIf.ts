import { dateFromDayNumber, dayNumber } from '../log/calendar-date.ts';
import { dailyRisk } from './risk.ts';
import { PlanEvaluator, riskOver } from './evaluate.ts';
import { quantile } from './numeric.ts';
import { Prng } from '../random/prng.ts';
import { drawGamma } from './numeric.ts';
import { dayLabel } from './validate.ts';
import type { Twin } from './twin.ts';
import { twinModel } from './twin.ts';
import type { WhatIfResult } from './types.ts';

const BAND: [number, number] = [0.05, 0.95];

/**
 * Day by day, what the twin expects of a plan (daily loads, AU, from `startDate`): readiness and injury risk with bands
 * over the posterior draws (response parameters and personal frailty), acute:chronic ratio, monotony, fitness, fatigue, form.
 */
export function whatIf(twin: Twin, loads: readonly number[], startDate?: string, maxMonotony = 2, acwrHigh = 1.3): WhatIfResult {
  const start = startDate ?? dateFromDayNumber(dayNumber(twin.state.lastDate) + 1);
  const first = dayNumber(start);
  const mean = new PlanEvaluator(twinModel(twin)).run(loads);
  const rng = new Prng(7);
  const { shape, rate } = twin.fit.frailty;
  const drawn = twin.fit.draws.map((params) => {
    const frailty = drawGamma(shape, () => rng.next(), () => rng.normal()) / rate;
    const t = new PlanEvaluator({ state: twin.state, params, risk: (x) => dailyRisk(twin.riskModel, x, frailty) }).run(loads);
    return { readiness: Array.from(t.readiness), risk: Array.from(t.risk) };
  });
  const band = (values: number[]): [number, number] => (values.length ? [quantile(values, BAND[0]), quantile(values, BAND[1])] : [NaN, NaN]);
  const days = loads.map((load, d) => ({
    date: dateFromDayNumber(first + d),
    load,
    readiness: mean.readiness[d]!,
    readinessBand: band(drawn.map((x) => x.readiness[d]!)),
    risk: mean.risk[d]!,
    riskBand: band(drawn.map((x) => x.risk[d]!)),
    acwr: mean.acwr[d]!,
    monotony: mean.monotony[d]!,
    fitness: mean.fitness[d]!,
    fatigue: mean.fatigue[d]!,
    form: twin.fit.params.fitnessGain * mean.fitness[d]! - twin.fit.params.fatigueGain * mean.fatigue[d]!,
    performance: mean.performance[d]!,
  }));
  const weeklyRisk = [];
  for (let k = 0; k * 7 < loads.length; k++) {
    weeklyRisk.push({ from: dateFromDayNumber(first + 7 * k), risk: riskOver(mean.risk, 7 * k, 7 * k + 7), band: band(drawn.map((x) => riskOver(x.risk, 7 * k, 7 * k + 7))) });
  }
  const warnings: string[] = [];
  if (twin.fit.source === 'prior') warnings.push(twin.fit.note);
  days.forEach((d) => {
    if (d.load > 0 && d.acwr > acwrHigh) warnings.push(`${dayLabel(d.date)}: acute:chronic ratio ${d.acwr.toFixed(2)}, above ${acwrHigh}.`);
    if (d.load > 0 && d.monotony > maxMonotony) warnings.push(`${dayLabel(d.date)}: monotony ${d.monotony.toFixed(1)}, above ${maxMonotony} (days too alike).`);
  });
  const n = loads.length;
  return {
    days,
    weeklyRisk,
    performanceChange: (n > 0 ? mean.performance[n - 1]! : mean.startPerformance) - mean.startPerformance,
    totalLoad: loads.reduce((a, b) => a + b, 0),
    warnings,
  };
}
