import type { BlockStart } from './population.ts';
import type { Policy } from './policies.ts';

/** Executed loads scatter around the plan: sessions never come out exactly as written. */
const EXECUTION_SD = 0.1;

export interface BlockOutcome {
  /** True Banister performance after the block minus before it. */
  performanceGain: number;
  injuries: number;
  /** Sum of the true daily hazards: the injuries expected, without the luck of the draw (tuning reads it). */
  expectedInjuries: number;
  daysLost: number;
  days: number;
  /** Planned loads (AU) per day, as the policy wrote them (0 while injured). */
  planned: number[];
}

/**
 * Runs one athlete's block under a policy: it plans 7 days at the start of each week and on the day the athlete comes
 * back from a lay-off, and may revise the rest of that plan every morning after the athlete's report (`Policy.morning`);
 * the true body executes the plan (with scatter) and answers with its true injury hazard.
 */
export function runBlock(start: BlockStart, policy: Policy, days: number): BlockOutcome {
  const { body, blockRng, reportRng, firstDay } = start;
  const rows = [...start.rows];
  const trueLoads = [...start.trueLoads];
  const perf0 = body.banister.performance();
  let queue: number[] = [];
  let queueStart = firstDay;
  let injuries = 0;
  let expectedInjuries = 0;
  let daysLost = 0;
  const planned: number[] = [];
  for (let d = 0; d < days; d++) {
    const day = firstDay + d;
    const rng = blockRng.fork(d);
    const scatter = Math.exp(rng.normal(0, EXECUTION_SD));
    const morning = body.morning(rng);
    const written = { report: body.morningReport(morning, reportRng.fork(d)) };
    const injured = body.inLayoff;
    const sinceReturn = day - body.returnDay;
    if (d % 7 === 0 || sinceReturn === 0) {
      queue = policy.plan({
        rows, trueLoads, body, day, blockFirstDay: firstDay, blockLastDay: firstDay + days - 1,
        daysSinceReturn: Number.isFinite(sinceReturn) ? sinceReturn : 1e9, injured,
      });
      queueStart = day;
    }
    if (!injured && policy.morning) {
      // The athlete opens the app after the morning report: the policy may re-plan today (and the rest of its week).
      queue = policy.morning(
        { rows, trueLoads, body, day, blockFirstDay: firstDay, blockLastDay: firstDay + days - 1, daysSinceReturn: Number.isFinite(sinceReturn) ? sinceReturn : 1e9, injured },
        { start: queueStart, loads: queue },
        { report: written.report, truth: morning.state },
      );
    }
    const plannedLoad = injured ? 0 : Math.max(0, queue[day - queueStart] ?? 0);
    planned.push(plannedLoad);
    const load = plannedLoad * scatter;
    if (injured) daysLost++;
    const injury = body.train(day, load, morning.state, true, rng);
    injuries += injury;
    expectedInjuries += body.lastHazard;
    rows.push(body.logRow(day, load, morning, injury, rng, written));
    trueLoads.push(load);
  }
  return { performanceGain: body.banister.performance() - perf0, injuries, expectedInjuries, daysLost, days, planned };
}
