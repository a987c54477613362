export type { WearableDay, WearableImport } from './wearableDays.ts';
export { parseFitWellness } from './fitWellness.ts';
export { AppleHealthReader, parseAppleHealthXml } from './appleHealth.ts';
export { parseFitbitTakeout, type FitbitFile } from './fitbitTakeout.ts';
export { parseOuraCsv } from './ouraCsv.ts';
