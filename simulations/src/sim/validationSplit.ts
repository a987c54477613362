import { taskExamples, temporalSplit } from '@huddle/shared/data';
import { buildAthleteFeatures } from '@huddle/shared/features';
import { groupByAthlete } from '@huddle/shared/log';
import type { TaskId } from '@huddle/shared/model';
import type { SimDataset } from './dataset.ts';

/**
 * The dataset as it stood before each athlete's test days: every row from the first test day on is dropped, so a run
 * on it splits each athlete's training period again and scores validation days. Tuning reads only these; the test
 * days never enter it.
 */
export function trainingPeriod(data: SimDataset, task: TaskId, testFraction: number): SimDataset {
  const kept = [];
  for (const rows of groupByAthlete(data.rows).values()) {
    const features = buildAthleteFeatures(rows);
    const { test } = temporalSplit(taskExamples(features, task), testFraction);
    const firstTestDate = test.n > 0 ? features.dates[test.days[0]!]! : null;
    kept.push(...(firstTestDate === null ? rows : rows.filter((r) => r.date < firstTestDate)));
  }
  return { ...data, name: `${data.name} (training period: validation days)`, rows: kept };
}
