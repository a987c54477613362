export { loadSoccerMon, MAX_REST_GAP_DAYS, SOCCERMON_SEX, SOCCERMON_SPORT } from './soccermon.ts';
export type { DroppedValue, SoccerMonDataset, SoccerMonReport } from './soccermon.ts';
export { INJURY_EPISODE_GAP_DAYS, injuryEpisodes, type InjuryEpisode, type InjuryReport } from './injuryEpisodes.ts';
export { defaultSoccerMonDir, SOCCERMON_DIR_ENV } from './soccermonDir.ts';
export { loadDataset, DEFAULT_SYNTHETIC_ATHLETES, type DatasetOptions, type LoadedDataset } from './loadDataset.ts';
