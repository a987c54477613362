import { describe, expect, it } from 'vitest';
import { formatDailyLogCsv, INJURY_BODY_PARTS, parseDailyLogCsv, validateDailyLogRow, type DailyLogRow } from '../src/log/index.ts';

const OLD_HEADER = 'athlete_id,date,srpe_load,readiness,fatigue,mood,sleep_quality,soreness,stress,sleep_hours,injury,hrv_rmssd_ms,resting_hr_bpm,sex,sport';
const DAY = { athlete_id: 'a1', date: '2024-03-02', srpe_load: '0', readiness: '4', fatigue: '2', mood: '3', sleep_quality: '3', soreness: '2', stress: '3', sleep_hours: '6' };

describe('injury details: body part, severity, still injured', () => {
  it('reads the three optional columns beside a new injury and on later days still injured', () => {
    const csv = `${OLD_HEADER},injury_body_part,injury_severity,injury_ongoing\n` +
      'a1,2024-03-02,0,4,2,3,3,2,3,6,1,,,,,thigh_back,2,1\n' +
      'a1,2024-03-03,0,5,3,3,3,3,3,7,0,,,,,thigh_back,1,1\n' +
      'a1,2024-03-04,300,7,4,4,4,4,4,8,0,,,,,,,0\n';
    const parsed = parseDailyLogCsv(csv);
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows.map((r) => [r.injury, r.injuryBodyPart, r.injurySeverity, r.injuryOngoing])).toEqual([
      [1, 'thigh_back', 2, 1],
      [0, 'thigh_back', 1, 1],
      [0, undefined, undefined, 0],
    ]);
  });

  it('keeps files without the new columns valid, and their rows exactly as before (no new keys)', () => {
    const parsed = parseDailyLogCsv(`${OLD_HEADER}\na1,2024-03-02,0,4,2,3,3,2,3,6,1,,,,\n`);
    expect(parsed.errors).toEqual([]);
    expect(parsed.warnings).toEqual([]);
    expect(Object.keys(parsed.rows[0]!)).not.toContain('injuryBodyPart');
    expect(parsed.rows[0]).toEqual({ athleteId: 'a1', date: '2024-03-02', srpeLoad: 0, readiness: 4, fatigue: 2, mood: 3, sleepQuality: 3, soreness: 2, stress: 3, sleepHours: 6, injury: 1, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null });
  });

  it('refuses unknown body parts, severities outside 1-3 and "still injured" other than 0 or 1, naming the field only', () => {
    const r = validateDailyLogRow({ ...DAY, injury: '1', injury_body_part: 'Hamstring', injury_severity: '4', injury_ongoing: '2' });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'injury_body_part', reason: `must be one of: ${INJURY_BODY_PARTS.join(', ')}` },
        { field: 'injury_severity', reason: 'must be a whole number from 1 to 3' },
        { field: 'injury_ongoing', reason: 'must be 0 or 1' },
      ],
    });
  });

  it('refuses details of an injury on a day that reports none', () => {
    const r = validateDailyLogRow({ ...DAY, injury: '0', injury_body_part: 'knee', injury_severity: '1' });
    expect(r).toEqual({
      ok: false,
      errors: [
        { field: 'injury_body_part', reason: 'describes an injury, but neither injury nor injury_ongoing is 1' },
        { field: 'injury_severity', reason: 'describes an injury, but neither injury nor injury_ongoing is 1' },
      ],
    });
    expect(validateDailyLogRow({ ...DAY, injury: '0', injury_ongoing: '1', injury_body_part: 'knee' }).ok).toBe(true);
  });

  it('round-trips through the CSV writer', () => {
    const rows: DailyLogRow[] = [
      { athleteId: 'a1', date: '2024-03-02', srpeLoad: 0, readiness: 4, fatigue: 2, mood: 3, sleepQuality: 3, soreness: 2, stress: 3, sleepHours: 6, injury: 1, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null, injuryBodyPart: 'ankle', injurySeverity: 3, injuryOngoing: 1 },
      { athleteId: 'a1', date: '2024-03-03', srpeLoad: 100, readiness: 6, fatigue: 3, mood: 3, sleepQuality: 3, soreness: 3, stress: 3, sleepHours: 7, injury: 0, hrvRmssdMs: null, restingHrBpm: null, sex: null, sport: null },
    ];
    expect(parseDailyLogCsv(formatDailyLogCsv(rows))).toEqual({ rows, errors: [], warnings: [] });
  });
});
