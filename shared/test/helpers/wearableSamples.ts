import { Encoder, Profile, type Mesg } from '@garmin/fitsdk';

/**
 * A small Garmin wellness FIT file written with Garmin's own encoder, following the FIT profile: a file_id, daily
 * resting heart rate (monitoring_hr_data), last night's HRV (hrv_status_summary, RMSSD in ms) and one night of sleep
 * levels (sleep_level; each level lasts until the next message).
 */
function mesgNum(name: string): number {
  const n = Profile.MesgNum[name];
  if (n === undefined) throw new Error(`no FIT message ${name}`);
  return n;
}

export function sampleFitFile(): Uint8Array {
  const e = new Encoder();
  const put = (name: string, fields: Record<string, unknown>) => e.onMesg(mesgNum(name), fields as Mesg);
  const t = (iso: string) => new Date(iso);
  put('FILE_ID', { manufacturer: 'garmin', product: 1, timeCreated: t('2024-03-02T08:00:00'), type: 'monitoringDaily', serialNumber: 1234 });
  put('MONITORING_HR_DATA', { timestamp: t('2024-03-01T08:00:00'), restingHeartRate: 51, currentDayRestingHeartRate: 52 });
  put('MONITORING_HR_DATA', { timestamp: t('2024-03-02T08:00:00'), restingHeartRate: 50, currentDayRestingHeartRate: 49 });
  put('HRV_STATUS_SUMMARY', { timestamp: t('2024-03-02T07:00:00'), weeklyAverage: 61, lastNightAverage: 64.5, lastNight5MinHigh: 90, status: 'balanced' });
  // Night of 1-2 March: 23:00 light, 01:00 deep, 02:30 awake, 02:45 REM, 06:15 light, 07:00 awake, 07:10 end.
  const levels: [string, string][] = [['2024-03-01T23:00:00', 'light'], ['2024-03-02T01:00:00', 'deep'], ['2024-03-02T02:30:00', 'awake'], ['2024-03-02T02:45:00', 'rem'], ['2024-03-02T06:15:00', 'light'], ['2024-03-02T07:00:00', 'awake'], ['2024-03-02T07:10:00', 'awake']];
  for (const [at, level] of levels) put('SLEEP_LEVEL', { timestamp: t(at), sleepLevel: level });
  return e.close();
}

/** Hours asleep in `sampleFitFile`'s night: 2 + 1.5 + 3.5 + 0.75. */
export const SAMPLE_FIT_SLEEP_HOURS = 7.75;

/**
 * A small Apple Health export.xml in the documented layout (HealthData root, Record elements with type, unit,
 * startDate/endDate "YYYY-MM-DD hh:mm:ss +zzzz" and value): resting heart rate, HRV as SDNN, sleep stages, in-bed time,
 * and two broken records.
 */
export function sampleAppleHealthXml(): string {
  const rec = (type: string, unit: string | null, start: string, end: string, value: string) =>
    `  <Record type="${type}" sourceName="Apple Watch"${unit ? ` unit="${unit}"` : ''} creationDate="${end}" startDate="${start}" endDate="${end}" value="${value}"/>`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE HealthData [ <!ELEMENT HealthData (ExportDate,Me,Record*)> ]>',
    '<HealthData locale="en_GB">',
    ' <ExportDate value="2024-03-03 09:00:00 +0100"/>',
    ' <Me HKCharacteristicTypeIdentifierBiologicalSex="HKBiologicalSexFemale"/>',
    rec('HKQuantityTypeIdentifierRestingHeartRate', 'count/min', '2024-03-01 00:00:00 +0100', '2024-03-01 23:59:00 +0100', '54'),
    rec('HKQuantityTypeIdentifierRestingHeartRate', 'count/min', '2024-03-02 00:00:00 +0100', '2024-03-02 23:59:00 +0100', '53'),
    rec('HKQuantityTypeIdentifierHeartRateVariabilitySDNN', 'ms', '2024-03-02 07:00:00 +0100', '2024-03-02 07:01:00 +0100', '48'),
    rec('HKCategoryTypeIdentifierSleepAnalysis', null, '2024-03-01 22:30:00 +0100', '2024-03-02 07:00:00 +0100', 'HKCategoryValueSleepAnalysisInBed'),
    rec('HKCategoryTypeIdentifierSleepAnalysis', null, '2024-03-01 23:00:00 +0100', '2024-03-02 02:00:00 +0100', 'HKCategoryValueSleepAnalysisAsleepCore'),
    rec('HKCategoryTypeIdentifierSleepAnalysis', null, '2024-03-02 02:00:00 +0100', '2024-03-02 03:30:00 +0100', 'HKCategoryValueSleepAnalysisAsleepDeep'),
    rec('HKCategoryTypeIdentifierSleepAnalysis', null, '2024-03-02 03:30:00 +0100', '2024-03-02 03:45:00 +0100', 'HKCategoryValueSleepAnalysisAwake'),
    rec('HKCategoryTypeIdentifierSleepAnalysis', null, '2024-03-02 03:45:00 +0100', '2024-03-02 06:30:00 +0100', 'HKCategoryValueSleepAnalysisAsleepREM'),
    rec('HKQuantityTypeIdentifierRestingHeartRate', 'count/min', '2024-03-03 00:00:00 +0100', '2024-03-03 09:00:00 +0100', '400'),
    rec('HKQuantityTypeIdentifierRestingHeartRate', 'count/min', 'yesterday', 'today', '50'),
    '</HealthData>',
    '',
  ].join('\n');
}
