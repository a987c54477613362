/**
 * The web client is an app (built with Vite to web-client/dist), not a library. These are its pure, environment-free
 * pieces, exported for tests and tools; nothing here touches the DOM, IndexedDB or a worker.
 */
export { createDeviceKey, MemoryBacking, randomId, seal, SealedRecordError, SealedStore, unseal, type RecordBacking, type SealedRecord } from './storage/sealed.ts';
export { checkInToRow, previewCsv, rowsToImport, sessionsLoad, type CheckInInput, type CsvImportPreview, type SessionInput } from './log/checkin.ts';
export { deletionMessage, enroll, EnrollError, forgetEnrollment, inviteCodeFromLink, signDeletion } from './identity.ts';
export { computeForecasts, MIN_PERSONAL_DAYS, type ForecastResult, type TaskForecast } from './engine/forecast.ts';
export { describeOutgoing } from './engine/outbox.ts';
