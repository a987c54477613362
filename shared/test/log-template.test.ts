import { describe, expect, it } from 'vitest';
import { DAILY_LOG_COLUMNS, dailyLogTemplateCsv, EXAMPLE_DAILY_LOG_ROWS, parseDailyLogCsv } from '@huddle/shared/log';

describe('dailyLogTemplateCsv', () => {
  it('is the header line alone, every column in the reader order, and the reader accepts it', () => {
    const csv = dailyLogTemplateCsv();
    expect(csv).toBe('athlete_id,date,srpe_load,readiness,fatigue,mood,sleep_quality,soreness,stress,sleep_hours,injury,hrv_rmssd_ms,resting_hr_bpm,sex,sport,injury_body_part,injury_severity,injury_ongoing\n');
    expect(csv.trim().split(',')).toEqual([...DAILY_LOG_COLUMNS]);
    expect(parseDailyLogCsv(csv)).toEqual({ rows: [], errors: [], warnings: [] });
  });

  it('with example rows: they read back as given, a rest day with an injury and missing optional values included', () => {
    const result = parseDailyLogCsv(dailyLogTemplateCsv({ example: true }));
    expect(result.errors).toEqual([]);
    expect(result.rows).toEqual(EXAMPLE_DAILY_LOG_ROWS);
    expect(result.rows.map((r) => [r.srpeLoad, r.injury, r.hrvRmssdMs])).toEqual([[420, 0, 68], [0, 1, null]]);
  });
});
