import { Decoder, Stream } from '@garmin/fitsdk';
import { localCalendarDate } from '../log/calendar-date.ts';
import { WearableDayCollector, type WearableImport } from './wearableDays.ts';

/** FIT sleep levels (Garmin's profile): 0 unmeasurable, 1 awake, 2 light, 3 deep, 4 REM. */
const ASLEEP = new Set(['light', 'deep', 'rem', 2, 3, 4]);

type Mesg = Record<string, unknown>;

const dateOf = (m: Mesg): Date | null => (m.timestamp instanceof Date && !Number.isNaN(m.timestamp.getTime()) ? m.timestamp : null);

/**
 * Resting heart rate, HRV (RMSSD, last night's average) and sleep from a Garmin FIT file (wellness/monitoring, HRV
 * status or sleep files), decoded on the device with Garmin's own SDK. Record numbers in the report count the messages
 * of each kind in file order.
 */
export function parseFitWellness(bytes: Uint8Array): WearableImport {
  const out = new WearableDayCollector();
  const stream = Stream.fromByteArray(Array.from(bytes));
  if (!Decoder.isFIT(stream)) {
    out.refuse(1, '(file)', 'not a FIT file (no ".FIT" header)');
    return out.result();
  }
  const decoder = new Decoder(stream);
  const { messages, errors } = decoder.read({ convertDateTimesToDates: true, convertTypesToStrings: true, applyScaleAndOffset: true, mergeHeartRates: false });
  for (const e of errors) out.refuse(1, '(file)', `the file is damaged: ${e instanceof Error ? e.message : String(e)}`.slice(0, 200));

  ((messages.monitoringHrDataMesgs ?? []) as Mesg[]).forEach((m, i) => {
    const at = dateOf(m);
    const bpm = m.currentDayRestingHeartRate ?? m.restingHeartRate;
    if (!at) return out.refuse(i + 1, 'date', 'monitoring record without a timestamp');
    if (typeof bpm === 'number') out.add(i + 1, localCalendarDate(at), 'restingHrBpm', bpm);
  });
  ((messages.hrvStatusSummaryMesgs ?? []) as Mesg[]).forEach((m, i) => {
    const at = dateOf(m);
    if (!at) return out.refuse(i + 1, 'date', 'HRV record without a timestamp');
    if (typeof m.lastNightAverage === 'number') out.add(i + 1, localCalendarDate(at), 'hrvRmssdMs', m.lastNightAverage);
  });
  // Sleep: each level lasts until the next level message; asleep time counts towards the day the sleep ends.
  const levels = ((messages.sleepLevelMesgs ?? []) as Mesg[]).map((m, i) => ({ i, at: dateOf(m), level: m.sleepLevel })).filter((l) => l.at !== null) as { i: number; at: Date; level: unknown }[];
  levels.sort((a, b) => a.at.getTime() - b.at.getTime());
  for (let k = 0; k + 1 < levels.length; k++) {
    const { i, at, level } = levels[k]!;
    const until = levels[k + 1]!.at;
    const hours = (until.getTime() - at.getTime()) / 3_600_000;
    if (hours > 4) continue; // a gap between nights, not one sleep stage
    if (ASLEEP.has(level as string)) out.add(i + 1, localCalendarDate(until), 'sleepHours', hours, 'sum');
  }
  return out.result();
}
