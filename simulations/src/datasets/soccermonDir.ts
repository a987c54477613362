import { fileURLToPath } from 'node:url';

export const SOCCERMON_DIR_ENV = 'HUDDLE_SOCCERMON_DIR';

/** `$HUDDLE_SOCCERMON_DIR`, else the copy vendored in the repository at `data/soccermon`. */
export function defaultSoccerMonDir(): string {
  const fromEnv = process.env[SOCCERMON_DIR_ENV];
  if (fromEnv) return fromEnv;
  // this file is <repo>/simulations/src/datasets/soccermonDir.ts
  return fileURLToPath(new URL('../../../data/soccermon', import.meta.url));
}
