import type { DailyLogRow } from '../log/types.ts';
import { athleteSeries } from './athlete-series.ts';
import { dayGrid } from './day-grid.ts';
import { featureMatrix } from './feature-columns.ts';
import { historyFeatureColumns } from './history-features.ts';
import { injuryFeatureColumns } from './injury-features.ts';
import { injuryLabels, readinessLabels } from './labels.ts';
import { loadFeatureColumns } from './load-features.ts';
import { physiologyFeatureColumns } from './physiology-features.ts';
import type { AthleteFeatures } from './types.ts';
import { wellnessFeatureColumns } from './wellness-features.ts';
import { wellnessValue } from './wellness-items.ts';

/**
 * Features and labels for ONE athlete's rows (any order; validated rows: see `dayGrid` for what throws).
 * Calendar gaps become days with unknown load and no answers. No rows gives an empty result with athleteId ''.
 */
export function buildAthleteFeatures(rows: readonly DailyLogRow[]): AthleteFeatures {
  const grid = dayGrid(rows);
  const series = athleteSeries(grid.rows);
  const columns = {
    ...loadFeatureColumns(series),
    ...wellnessFeatureColumns(series),
    ...injuryFeatureColumns(series),
    ...physiologyFeatureColumns(series),
    ...historyFeatureColumns(series),
  };
  return {
    athleteId: grid.athleteId,
    dates: grid.dates,
    x: featureMatrix(columns, series.days),
    injuryLabel: injuryLabels(grid.rows.map((row) => (row?.injury === 1 ? 1 : row?.injury === 0 ? 0 : null))),
    readinessLabel: readinessLabels(grid.rows.map((row) => wellnessValue(row, 'readiness'))),
    hasReport: grid.rows.map((row) => row !== null),
  };
}
