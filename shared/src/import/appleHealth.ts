import { SaxesParser } from 'saxes';
import { WearableDayCollector, type WearableImport } from './wearableDays.ts';

const RESTING_HR = 'HKQuantityTypeIdentifierRestingHeartRate';
const HRV_SDNN = 'HKQuantityTypeIdentifierHeartRateVariabilitySDNN';
const SLEEP = 'HKCategoryTypeIdentifierSleepAnalysis';
/** Asleep values of HKCategoryValueSleepAnalysis (iOS 16+ stages, and the older "Asleep"); InBed and Awake are not sleep. */
const ASLEEP = new Set(['HKCategoryValueSleepAnalysisAsleep', 'HKCategoryValueSleepAnalysisAsleepUnspecified', 'HKCategoryValueSleepAnalysisAsleepCore', 'HKCategoryValueSleepAnalysisAsleepDeep', 'HKCategoryValueSleepAnalysisAsleepREM']);

/** "2024-03-01 07:12:00 +0100" -> its calendar date as written (the athlete's local date when recorded) and epoch ms. */
function appleTime(text: string | undefined): { date: string; ms: number } | null {
  const m = text?.match(/^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) ([+-])(\d{2})(\d{2})$/);
  if (!m) return null;
  const ms = Date.parse(`${m[1]}T${m[2]}${m[3]}${m[4]}:${m[5]}`);
  return Number.isNaN(ms) ? null : { date: m[1]!, ms };
}

/**
 * A streaming reader of Apple Health's export.xml (files reach gigabytes): feed it the text in chunks, then call
 * `finish()`. Keeps resting heart rate and sleep; Apple records HRV as SDNN, which is not the RMSSD the log holds, so
 * HRV records are reported as warnings and not imported. Record numbers count <Record> elements in file order.
 */
export class AppleHealthReader {
  private readonly out = new WearableDayCollector();
  private readonly parser = new SaxesParser();
  private record = 0;
  private sdnnSeen = 0;
  private failed = false;

  constructor() {
    this.parser.on('opentag', (node) => {
      if (node.name !== 'Record') return;
      this.record += 1;
      const a = node.attributes as Record<string, string>;
      if (a.type === RESTING_HR) {
        const at = appleTime(a.startDate);
        if (!at) return this.out.refuse(this.record, 'date', 'startDate is not "YYYY-MM-DD hh:mm:ss +zzzz"');
        if (a.unit !== 'count/min') return this.out.refuse(this.record, 'resting_hr_bpm', 'unit is not count/min');
        this.out.add(this.record, at.date, 'restingHrBpm', Number(a.value));
      } else if (a.type === SLEEP) {
        if (!ASLEEP.has(a.value ?? '')) return;
        const start = appleTime(a.startDate);
        const end = appleTime(a.endDate);
        if (!start || !end || end.ms < start.ms) return this.out.refuse(this.record, 'date', 'startDate/endDate are not a valid interval');
        this.out.add(this.record, end.date, 'sleepHours', (end.ms - start.ms) / 3_600_000, 'sum');
      } else if (a.type === HRV_SDNN) {
        if (this.sdnnSeen++ === 0) this.out.warn(this.record, 'hrv_rmssd_ms', 'Apple Health records HRV as SDNN, not RMSSD: HRV records are not imported');
      }
    });
    this.parser.on('error', (e) => {
      if (!this.failed) this.out.refuse(this.record + 1, '(file)', `not valid XML: ${e.message}`.slice(0, 200));
      this.failed = true;
    });
  }

  write(chunk: string): void {
    if (!this.failed) this.parser.write(chunk);
  }

  finish(): WearableImport {
    if (!this.failed) this.parser.close();
    if (this.record === 0 && !this.failed) this.out.refuse(1, '(file)', 'no <Record> elements: is this Apple Health’s export.xml?');
    return this.out.result();
  }
}

/** The whole file at once (small exports and tests); large ones go through `AppleHealthReader` chunk by chunk. */
export function parseAppleHealthXml(text: string): WearableImport {
  const reader = new AppleHealthReader();
  reader.write(text);
  return reader.finish();
}
