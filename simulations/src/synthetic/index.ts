export * from './generate.ts';
export type { HiddenParams } from './hiddenParams.ts';
export { SYNTHETIC_SPORTS, SPORT_PROFILES, type SyntheticSport, type SportProfile } from './sports.ts';
export { HAZARD, injuryHazard, type HazardInputs } from './injuryHazard.ts';
