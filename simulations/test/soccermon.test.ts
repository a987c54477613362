import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatDailyLogCsv, groupByAthlete, parseDailyLogCsv } from '@huddle/shared/log';
import {
  defaultSoccerMonDir,
  injuryEpisodes,
  loadDataset,
  loadSoccerMon,
  SOCCERMON_DIR_ENV,
  type SoccerMonDataset,
} from '../src/datasets/index.ts';
import { csvRecords } from '../src/datasets/csvRecords.ts';

const dir = defaultSoccerMonDir();
let data: SoccerMonDataset;

beforeAll(() => {
  if (!existsSync(dir)) {
    throw new Error(
      `SoccerMon data directory not found: ${dir}. It is vendored at data/soccermon in the repository ` +
        `(or set ${SOCCERMON_DIR_ENV}); these tests never skip.`,
    );
  }
  data = loadSoccerMon(dir);
  const { report } = data;
  const counts = Object.values(report.readinessReportsPerAthlete).sort((a, b) => a - b);
  console.log(
    `SoccerMon: ${report.athletes} athletes, ${report.rows} rows (${report.firstDate}..${report.lastDate}), ` +
      `${report.injuryReports} injury reports -> ${report.injuryEpisodes} episodes in ${report.injuredAthletes} players, ` +
      `readiness reports per player ${counts[0]}-${counts[counts.length - 1]}, load days ${JSON.stringify(report.loadDays)}, ` +
      `daily_load.csv disagreements ${report.dailyLoadMismatchDays}, dropped values ${report.droppedValues.length}`,
  );
});

describe('loadSoccerMon', () => {
  it('converts 50 players, one athlete each, in two teams', () => {
    expect(data.report.athletes).toBe(50);
    expect(groupByAthlete(data.rows).size).toBe(50);
    expect(new Set(data.teams.values())).toEqual(new Set(['TeamA', 'TeamB']));
    for (const [id, team] of data.teams) expect(id.startsWith(`${team}-`)).toBe(true);
    expect(data.rows.every((r) => r.sport === 'football' && r.sex === 'F')).toBe(true);
  });

  it('keeps every readiness answer: 23 to 646 per player, 16997 in all', () => {
    const counts = Object.values(data.report.readinessReportsPerAthlete);
    expect(counts).toHaveLength(50);
    expect(Math.min(...counts)).toBe(23);
    expect(Math.max(...counts)).toBe(646);
    expect(counts.every((c) => c >= 23 && c <= 646)).toBe(true);
    expect(data.report.reportsPerItem.readiness).toBe(16997);
    expect(data.report.droppedValues).toEqual([]);
    expect(data.report.unreadableRecords).toEqual([]);
  });

  it('collapses 162 injury reports of 15 players into 40 episodes, injury = 1 on each onset', () => {
    expect(data.report.injuryReports).toBe(162);
    expect(data.report.injuredAthletes).toBe(15);
    expect(data.report.injuryEpisodes).toBe(40);
    expect(data.rows.filter((r) => r.injury === 1)).toHaveLength(40);
  });

  it('writes one row per day from first to last record, with unknown load and injury only in long silent gaps', () => {
    for (const rows of groupByAthlete(data.rows).values()) {
      for (let i = 1; i < rows.length; i++) {
        expect(Date.parse(rows[i]!.date) - Date.parse(rows[i - 1]!.date)).toBe(86_400_000);
      }
      expect(rows.every((r) => (r.srpeLoad === null) === (r.injury === null))).toBe(true);
    }
    const { fromSessions, restInferred, unknown } = data.report.loadDays;
    expect(fromSessions + restInferred + unknown).toBe(data.rows.length);
    expect(data.report.sessions).toBe(16265);
  });

  it('rows validate: format then parse gives the same rows with zero errors', () => {
    const parsed = parseDailyLogCsv(formatDailyLogCsv(data.rows));
    expect(parsed.errors).toEqual([]);
    expect(parsed.rows).toEqual(data.rows);
  });

  it('fails clearly when the directory is not SoccerMon', () => {
    expect(() => loadSoccerMon(join(tmpdir(), 'no-such-soccermon'))).toThrow(/SoccerMon data not found.*HUDDLE_SOCCERMON_DIR/);
  });
});

describe('loadSoccerMon on a small hand-made copy', () => {
  it('drops and reports out-of-range values, infers rest days and unknown load', () => {
    const root = mkdtempSync(join(tmpdir(), 'huddle-soccermon-'));
    mkdirSync(join(root, 'subjective/wellness'), { recursive: true });
    mkdirSync(join(root, 'subjective/training-load'), { recursive: true });
    mkdirSync(join(root, 'subjective/injury'), { recursive: true });
    const players = 'Date,TeamA-p1,TeamB-p2';
    for (const item of ['fatigue', 'mood', 'sleep_quality', 'soreness', 'stress', 'sleep_duration']) {
      writeFileSync(join(root, `subjective/wellness/${item}.csv`), `${players}\n01.03.2020,3,\n02.03.2020,,\n`);
    }
    // p1: readiness 11 on 01.03 is out of the 0-10 range; p2 answers on 01.03 and 20.03 only.
    writeFileSync(
      join(root, 'subjective/wellness/readiness.csv'),
      `${players}\n01.03.2020,11,7\n02.03.2020,8,\n20.03.2020,,6\n`,
    );
    writeFileSync(
      join(root, 'subjective/training-load/session.json'),
      JSON.stringify({
        'TeamA-p1': [
          { srpe: 300, rpe: 5, duration: 60, date: '01.03.2020' },
          { srpe: 100, rpe: 2, duration: 50, date: '01.03.2020' },
          { srpe: -5, rpe: 1, duration: 5, date: '04.03.2020' },
        ],
        'TeamB-p2': [],
      }),
    );
    writeFileSync(
      join(root, 'subjective/injury/injury.csv'),
      'player_name,type,timestamp\nTeamA-p1,"{""right_foot"":""minor""}",04.03.2020\n',
    );

    const { rows, report, teams } = loadSoccerMon(root);
    expect(teams).toEqual(new Map([['TeamA-p1', 'TeamA'], ['TeamB-p2', 'TeamB']]));
    expect(report.droppedValues).toEqual([{ athleteId: 'TeamA-p1', date: '2020-03-01', field: 'readiness', reason: expect.any(String) }]);
    expect(report.unreadableRecords).toEqual([
      { source: 'subjective/training-load/session.json', athleteId: 'TeamA-p1', reason: expect.any(String) },
    ]);
    expect(report.dailyLoadMismatchDays).toBeNull();

    const p1 = rows.filter((r) => r.athleteId === 'TeamA-p1');
    expect(p1.map((r) => [r.date, r.srpeLoad, r.readiness, r.fatigue, r.injury])).toEqual([
      ['2020-03-01', 400, null, 3, 0],
      ['2020-03-02', 0, 8, null, 0], // answered, no session: rest
      ['2020-03-03', 0, null, null, 0], // 1-day silent gap: rest
      ['2020-03-04', 0, null, null, 1], // injury report day, its only session was unreadable
    ]);
    const p2 = rows.filter((r) => r.athleteId === 'TeamB-p2');
    expect(p2).toHaveLength(20);
    expect(p2.filter((r) => r.srpeLoad === null && r.injury === null)).toHaveLength(18); // 18-day silent gap: unknown
    expect(report.loadDays).toEqual({ fromSessions: 1, restInferred: 5, unknown: 18 });
  });
});

describe('injuryEpisodes', () => {
  it('chains reports no more than 7 days apart, per player', () => {
    const episodes = injuryEpisodes([
      { player: 'a', date: '2020-03-01' },
      { player: 'a', date: '2020-03-08' }, // 7 days later: same episode
      { player: 'a', date: '2020-03-14' }, // chained: same episode
      { player: 'a', date: '2020-03-22' }, // 8 days later: new episode
      { player: 'b', date: '2020-03-02' },
      { player: 'a', date: '2020-03-01' }, // duplicate report
    ]);
    expect(episodes).toEqual([
      { player: 'a', onset: '2020-03-01', lastReport: '2020-03-14', reports: 4 },
      { player: 'a', onset: '2020-03-22', lastReport: '2020-03-22', reports: 1 },
      { player: 'b', onset: '2020-03-02', lastReport: '2020-03-02', reports: 1 },
    ]);
  });
});

describe('csvRecords', () => {
  it('reads quoted cells with "" escapes, CRLF and blank lines', () => {
    expect(csvRecords('a,"{""x"":""y""}",c\r\n\r\n1,,"2,3"\n')).toEqual([
      ['a', '{"x":"y"}', 'c'],
      ['1', '', '2,3'],
    ]);
    expect(() => csvRecords('a,"b\n')).toThrow(/unterminated/);
  });
});

describe('loadDataset', () => {
  it('loads synthetic, soccermon and a daily-log CSV path', () => {
    const synthetic = loadDataset('synthetic', { athletes: 3, days: 30, seed: 5 });
    expect(synthetic.rows).toHaveLength(90);

    const soccermon = loadDataset('soccermon', { soccermonDir: dir });
    expect(soccermon.rows).toEqual(data.rows);
    expect(soccermon.subgroups.get([...data.teams.keys()][0]!)).toEqual({ team: [...data.teams.values()][0] });

    const path = join(mkdtempSync(join(tmpdir(), 'huddle-dataset-')), 'log.csv');
    writeFileSync(path, formatDailyLogCsv(synthetic.rows));
    expect(loadDataset(path).rows).toEqual(synthetic.rows);

    writeFileSync(path, `${formatDailyLogCsv(synthetic.rows.slice(0, 2))}syn-0001,2024-02-30,1,,,,,,,,0,,,,,,,\n`);
    expect(() => loadDataset(path)).toThrow(/1 problems in the daily log, e\.g\. row 4 date/);
  });

  it(`resolves the SoccerMon directory from ${SOCCERMON_DIR_ENV}`, () => {
    const saved = process.env[SOCCERMON_DIR_ENV];
    try {
      process.env[SOCCERMON_DIR_ENV] = '/elsewhere/soccermon';
      expect(defaultSoccerMonDir()).toBe('/elsewhere/soccermon');
    } finally {
      if (saved === undefined) delete process.env[SOCCERMON_DIR_ENV];
      else process.env[SOCCERMON_DIR_ENV] = saved;
    }
  });
});
