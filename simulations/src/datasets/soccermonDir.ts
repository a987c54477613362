import { join } from 'node:path';
import { repoRoot } from './repoRoot.ts';

export const SOCCERMON_DIR_ENV = 'HUDDLE_SOCCERMON_DIR';

/** `$HUDDLE_SOCCERMON_DIR`, else the copy vendored in the repository at `data/soccermon`. */
export function defaultSoccerMonDir(): string {
  return process.env[SOCCERMON_DIR_ENV] || join(repoRoot(), 'data', 'soccermon');
}
