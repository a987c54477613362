import type { DailyLogRow } from '@huddle/shared/log';
import { buildTwin, recommendPlan, twinModel, whatIf, type PublishedPrior, type Recommendation, type RecommendRequest, type WhatIfResult } from '@huddle/shared/twin';
import { choosePrior } from '@huddle/client-sdk';

/** Planning work the page asks of the engine worker; the worker reads the log itself. */
export type PlanJob =
  | { kind: 'twin'; today: string }
  | { kind: 'whatIf'; today: string; startDate: string; plans: number[][] }
  | { kind: 'recommend'; today: string; request: RecommendRequest };

export interface TwinSummary {
  note: string;
  source: 'personal' | 'prior';
  /** Which population prior the fit used (the federation's or the built-in one), in words. */
  priorSource: 'federated' | 'built-in';
  priorNote: string;
  lastDate: string;
  loadScale: number;
  recentLoads: number[];
  weekdayPattern: number[];
}

export type PlanJobResult =
  | { kind: 'twin'; twin: TwinSummary }
  | { kind: 'whatIf'; results: WhatIfResult[] }
  | { kind: 'recommend'; recommendation: Recommendation };

/**
 * Fits the twin to the rows under the federation's prior (else the built-in one) and runs the job (pure; the worker calls
 * it). `planned` are the days the athlete accepted: a day with no logged load counts as its planned load.
 */
export function runPlanJob(rows: readonly DailyLogRow[], job: PlanJob, published: PublishedPrior | null = null, planned: readonly { date: string; load: number }[] = []): PlanJobResult {
  const choice = choosePrior(published);
  const twin = buildTwin(rows, { today: job.today, prior: choice.prior, planned: new Map(planned.map((d) => [d.date, d.load])) });
  switch (job.kind) {
    case 'twin': {
      const s = twin.state;
      return { kind: 'twin', twin: { note: twin.fit.note, source: twin.fit.source, priorSource: choice.source, priorNote: choice.note, lastDate: s.lastDate, loadScale: s.loadScale, recentLoads: s.recentLoads, weekdayPattern: s.weekdayPattern } };
    }
    case 'whatIf':
      return { kind: 'whatIf', results: job.plans.map((loads) => whatIf(twin, loads, job.startDate)) };
    case 'recommend':
      return { kind: 'recommend', recommendation: recommendPlan(twinModel(twin), job.request) };
  }
}
