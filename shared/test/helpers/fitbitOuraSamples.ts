/**
 * Small Fitbit (Google Takeout) and Oura export files in each vendor's documented layout, written by the tests.
 * Each holds two good days, one day the vendor marks as unmeasured, and bad records the report must name by number.
 */

/** Takeout/Fitbit/Global Export Data/resting_heart_rate-2024-03-01.json: entry 3 has no reading, entry 4 is out of range. */
export function sampleFitbitRestingHeartRate(): string {
  const entry = (d: string, value: number, error: number) => ({ dateTime: `${d} 00:00:00`, value: { date: d, value, error } });
  return JSON.stringify([entry('03/01/24', 52.41, 6.8), entry('03/02/24', 50.87, 6.6), entry('03/03/24', 0, 0), entry('03/04/24', 212, 3)], null, 2);
}

/** Takeout/Fitbit/Global Export Data/sleep-2024-03-01.json: the night to 2 March plus a nap that day; entry 4 lacks minutesAsleep. */
export function sampleFitbitSleep(): string {
  const log = (id: number, dateOfSleep: string, startTime: string, endTime: string, minutesAsleep: number, mainSleep: boolean) => ({
    logId: id, dateOfSleep, startTime, endTime, duration: (minutesAsleep + 30) * 60_000, minutesToFallAsleep: 0, minutesAsleep, minutesAwake: 30,
    minutesAfterWakeup: 0, timeInBed: minutesAsleep + 30, efficiency: 93, type: 'stages', infoCode: 0, mainSleep,
  });
  const broken: Record<string, unknown> = { ...log(4, '2024-03-03', '2024-03-02T23:00:00.000', '2024-03-03T07:00:00.000', 420, true) };
  delete broken.minutesAsleep;
  return JSON.stringify([log(1, '2024-03-01', '2024-02-29T23:30:00.000', '2024-03-01T06:45:00.000', 405, true), log(2, '2024-03-02', '2024-03-01T23:10:00.000', '2024-03-02T07:05:00.000', 440, true), log(3, '2024-03-02', '2024-03-02T14:00:00.000', '2024-03-02T14:50:00.000', 40, false), broken]);
}

/** Takeout/Fitbit/Heart Rate Variability/Daily Heart Rate Variability Summary - 2024-03-(01).csv; line 4 is not a number. */
export function sampleFitbitHrvCsv(): string {
  return 'timestamp,rmssd,nremhr,entropy\n2024-03-01T00:00:00,61.532,52.1,2.95\n2024-03-02T00:00:00,58.25,51.4,3.01\n2024-03-03T00:00:00,n/a,50.9,2.9\n';
}

/** Oura's CSV export (Trends): durations in seconds; line 4 has an out-of-range HRV, line 5 an unreadable date. */
export function sampleOuraCsv(): string {
  const header = 'date,Sleep Score,Total Sleep Duration,Total Bedtime ,Awake Time,REM Sleep Duration,Light Sleep Duration,Deep Sleep Duration,Sleep Efficiency,Average Resting Heart Rate,Lowest Resting Heart Rate,Average HRV,Temperature Deviation (°C),Respiratory Rate,Readiness Score,Activity Score,Steps';
  return [
    header,
    '2024-03-01,82,27000,29400,2400,5400,14400,7200,92,54.2,49,71,0.1,14.6,84,90,10234',
    '2024-03-02,76,25200,28200,3000,4800,13800,6600,89,55.8,51,64,-0.2,14.8,79,85,8411',
    '2024-03-03,70,24000,27000,3000,4200,13200,6600,89,57.1,53,412,0.0,15.0,72,80,7020',
    '03/04/2024,80,26000,28000,2000,5000,14000,7000,93,53.0,48,70,0.1,14.5,85,88,9100',
    '2024-03-05,None,,,,,,,,,,,,,,,',
  ].join('\n') + '\n';
}
