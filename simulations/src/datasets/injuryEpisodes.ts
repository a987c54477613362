import { dateFromDayNumber, dayNumber } from '@huddle/shared/log';

/**
 * Reports by one player no more than this many days after that player's previous report continue the
 * same injury episode (chained: a report every 5 days for a month is one episode).
 */
export const INJURY_EPISODE_GAP_DAYS = 7;

export interface InjuryReport {
  player: string;
  /** ISO date. */
  date: string;
}

export interface InjuryEpisode {
  player: string;
  /** First report of the episode: the day the log marks injury = 1. */
  onset: string;
  lastReport: string;
  reports: number;
}

/** Groups reports into episodes per player; the body parts reported are not used. */
export function injuryEpisodes(reports: readonly InjuryReport[], gapDays = INJURY_EPISODE_GAP_DAYS): InjuryEpisode[] {
  const daysByPlayer = new Map<string, number[]>();
  for (const r of reports) {
    const days = daysByPlayer.get(r.player) ?? [];
    days.push(dayNumber(r.date));
    daysByPlayer.set(r.player, days);
  }
  const episodes: InjuryEpisode[] = [];
  for (const [player, days] of daysByPlayer) {
    days.sort((a, b) => a - b);
    let current: { onset: number; last: number; reports: number } | null = null;
    for (const day of days) {
      if (current && day - current.last <= gapDays) {
        current.last = day;
        current.reports++;
        continue;
      }
      if (current) episodes.push(toEpisode(player, current));
      current = { onset: day, last: day, reports: 1 };
    }
    if (current) episodes.push(toEpisode(player, current));
  }
  return episodes;
}

function toEpisode(player: string, e: { onset: number; last: number; reports: number }): InjuryEpisode {
  return { player, onset: dateFromDayNumber(e.onset), lastReport: dateFromDayNumber(e.last), reports: e.reports };
}
