import { z } from 'zod';
import { dateFromDayNumber, dayNumber, isCalendarDate } from '../log/calendar-date.ts';
import type { PlanConstraints, PlanGoal, PlannedDay } from './types.ts';

export const MAX_PLAN_DAYS = 28;
const MINUTES_PER_DAY = 24 * 60;

/**
 * The schemas are built on first use, not at import: zod probes `new Function` when an object schema is defined, and
 * the web app's page (strict CSP, no eval) imports this module.
 */
let built: ReturnType<typeof buildSchemas> | null = null;
const schemas = () => (built ??= buildSchemas());

function buildSchemas() {
  const session = z.object({
    rpe: z.number({ error: 'must be a number' }).finite('must be a number').min(0, 'must be from 0 to 10').max(10, 'must be from 0 to 10'),
    minutes: z.number({ error: 'must be a number' }).finite('must be a number').min(0, 'must be 0 or more'),
  });

  const plannedDay = z
    .object({
      date: z.string({ error: 'must be a date (YYYY-MM-DD)' }).refine(isCalendarDate, 'must be a date (YYYY-MM-DD)'),
      sessions: z.array(session, { error: 'must be a list of sessions' }).max(6, 'at most 6 sessions a day'),
    })
    .superRefine((day, ctx) => {
      const total = day.sessions.reduce((s, x) => s + (Number.isFinite(x.minutes) ? x.minutes : 0), 0);
      if (total > MINUTES_PER_DAY) ctx.addIssue({ code: 'custom', path: ['sessions'], message: `add up to ${Math.round(total)} minutes: more than 24 hours in a day` });
    });

  const planSchema = z
    .array(plannedDay, { error: 'a plan is a list of days' })
    .min(1, 'a plan needs at least one day')
    .max(MAX_PLAN_DAYS, `a plan covers at most ${MAX_PLAN_DAYS} days`)
    .superRefine((days, ctx) => {
      for (let i = 1; i < days.length; i++) {
        const prev = days[i - 1]!.date;
        const cur = days[i]!.date;
        if (isCalendarDate(prev) && isCalendarDate(cur) && dayNumber(cur) !== dayNumber(prev) + 1) {
          ctx.addIssue({ code: 'custom', path: [i, 'date'], message: `must follow ${prev} (the days of a plan are consecutive)` });
        }
      }
    });
  return { planSchema };
}

/** The one schema of a plan: 1-28 consecutive days, sessions as RPE 0-10 x minutes, at most 24 h a day. */
export const planSchema = () => schemas().planSchema;

export interface PlanError {
  /** The day's date when it is readable, else "day N" (1-based). */
  day: string;
  /** "date", "sessions", "session 2 RPE", "session 1 minutes", or "plan". */
  field: string;
  message: string;
}

export type PlanValidation = { ok: true; days: PlannedDay[] } | { ok: false; errors: PlanError[] };

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** "Tuesday 2026-03-03". */
export function dayLabel(date: string): string {
  return isCalendarDate(date) ? `${WEEKDAYS[(((dayNumber(date) + 3) % 7) + 7) % 7]} ${date}` : date;
}

/** Validates an untrusted plan; every problem names its day and field. */
export function validatePlan(input: unknown): PlanValidation {
  const parsed = planSchema().safeParse(input);
  if (parsed.success) return { ok: true, days: parsed.data };
  const days = Array.isArray(input) ? input : [];
  const errors = parsed.error.issues.map((issue): PlanError => {
    const [index, key, sessionIndex, sessionField] = issue.path;
    if (typeof index !== 'number') return { day: 'plan', field: 'plan', message: issue.message };
    const raw = days[index] as { date?: unknown } | undefined;
    const day = typeof raw?.date === 'string' && isCalendarDate(raw.date) ? dayLabel(raw.date) : `day ${index + 1}`;
    let field = typeof key === 'string' ? key : 'day';
    if (key === 'sessions' && typeof sessionIndex === 'number') field = `session ${sessionIndex + 1} ${sessionField === 'rpe' ? 'RPE' : sessionField === 'minutes' ? 'minutes' : ''}`.trim();
    return { day, field, message: issue.message };
  });
  return { ok: false, errors };
}

export function formatPlanError(e: PlanError): string {
  return e.field === 'plan' ? `Plan: ${e.message}` : `${e.day}, ${e.field}: ${e.message}`;
}

/** Daily loads (AU) of a valid plan: RPE x minutes summed over sessions. */
export function planLoads(days: readonly PlannedDay[]): number[] {
  return days.map((d) => d.sessions.reduce((s, x) => s + x.rpe * x.minutes, 0));
}

/** Consecutive dates from `first`. */
export function planDates(first: string, n: number): string[] {
  const start = dayNumber(first);
  return Array.from({ length: n }, (_, i) => dateFromDayNumber(start + i));
}

let requestSchemas: ReturnType<typeof buildRequestSchemas> | null = null;

function buildRequestSchemas() {
  const goalSchema = z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('build'), targetDate: z.string().refine(isCalendarDate, 'must be a date (YYYY-MM-DD)').optional() }),
    z.object({ kind: z.literal('taper'), targetDate: z.string().refine(isCalendarDate, 'must be a date (YYYY-MM-DD)') }),
    z.object({ kind: z.literal('return'), returnLoad: z.number().finite().min(0, 'must be 0 or more').max(5000, 'at most 5000 AU'), rampDays: z.number().int().min(3).max(42).optional() }),
  ]);

  const constraintsSchema = z.object({
    maxWeeklyRisk: z.number().finite().gt(0, 'must be above 0').lt(1, 'must be below 1'),
    acwrBand: z.tuple([z.number().finite().min(0), z.number().finite().gt(0)]).refine(([lo, hi]) => lo < hi, 'lower end must be below the upper end'),
    restWeekdays: z.array(z.number().int().min(0).max(6)).max(7),
    maxWeeklyIncrease: z.number().finite().min(0, 'must be 0 or more').max(2, 'at most 2 (+200%)'),
    maxDailyLoad: z.number().finite().gt(0, 'must be above 0').max(10_000, 'at most 10000 AU'),
    maxMonotony: z.number().finite().gt(1, 'must be above 1').max(10, 'at most 10'),
  });
  return { goalSchema, constraintsSchema };
}

const request = () => (requestSchemas ??= buildRequestSchemas());

export type RequestValidation<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function readable<T>(r: z.ZodSafeParseResult<T>, what: string): RequestValidation<T> {
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: r.error.issues.map((i) => `${what}${i.path.length ? ` ${i.path.join('.')}` : ''}: ${i.message}`) };
}

export const validateGoal = (input: unknown): RequestValidation<PlanGoal> => readable(request().goalSchema.safeParse(input), 'goal') as RequestValidation<PlanGoal>;
export const validateConstraints = (input: unknown): RequestValidation<PlanConstraints> =>
  readable(request().constraintsSchema.safeParse(input), 'constraints') as RequestValidation<PlanConstraints>;
