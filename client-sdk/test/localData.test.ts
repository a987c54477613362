import { describe, expect, it } from 'vitest';
import { taskExamples, temporalSplit } from '@huddle/shared/data';
import { buildAthleteFeatures } from '@huddle/shared/features';
import { EXAMPLE_DAILY_LOG_ROWS, type DailyLogRow } from '@huddle/shared/log';
import { InMemoryDataSource } from '../src/dataSource.ts';
import { LocalData } from '../src/localData.ts';

/** Sixty days of one athlete, built from the example rows (dates moved forward a day at a time). */
function rows(): DailyLogRow[] {
  const base = EXAMPLE_DAILY_LOG_ROWS.filter((r) => r.athleteId === EXAMPLE_DAILY_LOG_ROWS[0]!.athleteId);
  return Array.from({ length: 60 }, (_, i) => {
    const r = base[i % base.length]!;
    const date = new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10);
    return { ...r, date, readiness: ((i * 7) % 10) + 0.5, injury: i % 17 === 0 ? 1 : 0 };
  });
}

describe('local data', () => {
  it('keeps labels and the latest day after a split, and rebuilds the same features and other splits when asked', async () => {
    const log = rows();
    const expected = buildAthleteFeatures(log);
    const local = new LocalData(new InMemoryDataSource(log), 0.2);
    const injury = await local.split('injury');
    expect(injury).toEqual(temporalSplit(taskExamples(expected, 'injury'), 0.2));
    const labels = await local.dayLabels();
    expect(labels?.dates).toEqual(expected.dates);
    expect(labels?.readinessLabel).toEqual(expected.readinessLabel);
    const last = expected.dates.length - 1;
    const f = expected.x.length / expected.dates.length;
    expect(await local.latestDay()).toEqual({ date: expected.dates[last], x: expected.x.slice(last * f, last * f + f) });
    expect(await local.split('readiness')).toEqual(temporalSplit(taskExamples(expected, 'readiness'), 0.2));
    expect(await local.athleteFeatures()).toEqual(expected);
    expect(await local.split('injury')).toBe(injury);
  });

  it('has nothing to split or predict from an empty log', async () => {
    const local = new LocalData(new InMemoryDataSource([]), 0.2);
    expect(await local.split('injury')).toBeNull();
    expect(await local.latestDay()).toBeNull();
    expect(await local.dayLabels()).toBeNull();
  });
});
