import type { DailyLogRow } from '@huddle/shared/log';
import {
  buildTwin, DEFAULT_CONSTRAINTS, formatPlanError, planLoads, recommendPlan, twinModel, twinMomentVector, validateConstraints, validateGoal,
  validatePlan, whatIf, type LoadRiskModel, type PlanConstraints, type PlanGoal, type PopulationPrior, type PublishedPrior, type Recommendation, type Twin, type WhatIfResult,
} from '@huddle/shared/twin';
import { choosePrior, type PriorChoice } from './publishedPrior.ts';

/** Up to this many plans are compared side by side. */
export const MAX_COMPARED_PLANS = 3;

export type PlanOutcome<T> = { ok: true; value: T } | { ok: false; errors: string[] };

export interface RecommendInput {
  goal: PlanGoal;
  constraints?: Partial<PlanConstraints>;
  horizonDays?: number;
  /** The athlete's draft (same shape as a what-if plan); the reasons compare against it. */
  draft?: unknown;
}

/**
 * The athlete's planning twin for other apps: fitted on the device from the athlete's own rows; nothing leaves it.
 * Every input from the app is validated; problems come back as messages naming the day and field.
 */
export class PlanningTwin {
  private constructor(
    readonly twin: Twin,
    private readonly priorChoice: PriorChoice,
  ) {}

  /**
   * `published`: the federation's prior (`fetchTwinPrior`, or the app's cached copy); used when present, else the
   * built-in default. An explicit `prior` wins over both (research use). `planned` (date -> AU): the plans the athlete
   * accepted; a day with no logged load counts as its planned load.
   */
  static fromRows(rows: readonly DailyLogRow[], options: { prior?: PopulationPrior; published?: PublishedPrior | null; riskModel?: LoadRiskModel; today?: string; planned?: ReadonlyMap<string, number> } = {}): PlanningTwin {
    const { published, prior, ...rest } = options;
    const choice: PriorChoice = prior ? { prior, source: 'federated', note: `Population prior: given by the app (${prior.athletes} athletes).` } : choosePrior(published);
    if (prior && prior.athletes === 0) choice.source = 'built-in';
    return new PlanningTwin(buildTwin(rows, { ...rest, prior: choice.prior }), choice);
  }

  /** Which population prior the fit used: the federation's published one or the built-in default. */
  get priorSource(): 'federated' | 'built-in' {
    return this.priorChoice.source;
  }

  /** The prior in plain words, e.g. "Population prior: the federation's, learned on 2026-12-02 from 40 athletes' own fits (8 rounds...)". */
  get priorNote(): string {
    return this.priorChoice.note;
  }

  /** "Fitted on N days..." or "Too little history... population prior... wide bands". */
  get note(): string {
    return this.twin.fit.note;
  }

  get usesPrior(): boolean {
    return this.twin.fit.source === 'prior';
  }

  /** First day a plan may start on: the day after the last logged day. */
  get firstPlanDate(): string {
    const d = new Date(`${this.twin.state.lastDate}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + 1);
    return d.toISOString().slice(0, 10);
  }

  whatIf(plan: unknown): PlanOutcome<WhatIfResult> {
    const v = validatePlan(plan);
    if (!v.ok) return { ok: false, errors: v.errors.map(formatPlanError) };
    return { ok: true, value: whatIf(this.twin, planLoads(v.days), v.days[0]!.date) };
  }

  /** Side-by-side what-ifs of up to three plans; a bad plan is reported by its position. */
  compare(plans: readonly unknown[]): PlanOutcome<WhatIfResult[]> {
    if (plans.length < 1 || plans.length > MAX_COMPARED_PLANS) return { ok: false, errors: [`compare 1 to ${MAX_COMPARED_PLANS} plans, got ${plans.length}`] };
    const out: WhatIfResult[] = [];
    const errors: string[] = [];
    plans.forEach((p, i) => {
      const r = this.whatIf(p);
      if (r.ok) out.push(r.value);
      else errors.push(...r.errors.map((e) => `Plan ${i + 1}: ${e}`));
    });
    return errors.length ? { ok: false, errors } : { ok: true, value: out };
  }

  /** An advisory recommendation with a reason for every day; the user accepts, edits or rejects it. */
  recommend(input: RecommendInput): PlanOutcome<Recommendation> {
    const goal = validateGoal(input.goal);
    const constraints = validateConstraints({ ...DEFAULT_CONSTRAINTS, ...input.constraints });
    const errors = [...(goal.ok ? [] : goal.errors), ...(constraints.ok ? [] : constraints.errors)];
    const horizonDays = input.horizonDays ?? 7;
    if (!Number.isInteger(horizonDays) || horizonDays < 7 || horizonDays > 14) errors.push('horizonDays: must be a whole number from 7 to 14');
    let baseline: number[] | undefined;
    if (input.draft !== undefined) {
      const draft = validatePlan(input.draft);
      if (!draft.ok) errors.push(...draft.errors.map(formatPlanError));
      else if (draft.days[0]!.date !== this.firstPlanDate) errors.push(`draft: must start on ${this.firstPlanDate}, the day after your last logged day`);
      else baseline = planLoads(draft.days);
    }
    if (errors.length || !goal.ok || !constraints.ok) return { ok: false, errors };
    return { ok: true, value: recommendPlan(twinModel(this.twin), { horizonDays, goal: goal.value, constraints: constraints.value, ...(baseline ? { baseline } : {}) }) };
  }

  /** This device's contribution to the federated prior (bounded moments for the secure sum). */
  momentVector(): Float64Array {
    return twinMomentVector(this.twin.fit);
  }
}
