import { describe, expect, it } from 'vitest';
import { twinHistory, weekdayOf } from '../src/twin/history.ts';
import { dayNumber } from '../src/log/index.ts';
import { twinRows } from './twinFixtures.ts';

describe('unlogged loads on planned days', () => {
  const rows = twinRows(120);
  // A Saturday (the pattern's hardest day, about 1.9 x 400 AU) whose load was not logged, and a logged Sunday.
  const blank = rows.findIndex((r, i) => i > 60 && weekdayOf(dayNumber(r.date)) === 5);
  const logged = blank + 1;
  const gappy = rows.map((r, i) => (i === blank ? { ...r, srpeLoad: null } : r));

  it('without a plan, a blank day takes the weekday mean of the logged days', () => {
    const h = twinHistory(gappy);
    const saturdays = gappy.filter((r, i) => i !== blank && weekdayOf(dayNumber(r.date)) === 5).map((r) => r.srpeLoad!);
    expect(h.loads[blank]).toBeCloseTo(saturdays.reduce((a, b) => a + b, 0) / saturdays.length, 9);
    expect(h.loads[blank]).toBeGreaterThan(500);
  });

  it('with a plan, a blank planned rest day is a rest day, a blank planned session its planned load, and a logged load wins over the plan', () => {
    const rest = twinHistory(gappy, new Map([[gappy[blank]!.date, 0]]));
    expect(rest.loads[blank]).toBe(0);
    const session = twinHistory(gappy, new Map([[gappy[blank]!.date, 250], [gappy[logged]!.date, 999]]));
    expect(session.loads[blank]).toBe(250);
    expect(session.loads[logged]).toBe(gappy[logged]!.srpeLoad);
    // The weekday means the other blanks fall back to are still the logged days' own.
    expect(Array.from(session.loads).filter((_, i) => i !== blank)).toEqual(Array.from(twinHistory(gappy).loads).filter((_, i) => i !== blank));
  });

  it('fills a planned day the athlete logged nothing for at all (no row), inside the log\'s span only', () => {
    const missing = rows.filter((_, i) => i !== blank);
    const planned = twinHistory(missing, new Map([[rows[blank]!.date, 0], ['1999-01-01', 500], ['not a date', 500]]));
    expect(planned.loads.length).toBe(rows.length);
    expect(planned.loads[blank]).toBe(0);
    expect(twinHistory(missing).loads[blank]).toBeGreaterThan(500);
  });
});
