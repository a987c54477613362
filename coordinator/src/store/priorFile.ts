import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPriorSchema, type PublishedPrior } from '@huddle/shared/twin';
import type { Logger } from '@huddle/shared/util';
import { writeFileAtomic } from './fileStore.ts';

/**
 * The published twin prior kept in `<dataDir>/twin-prior.json` (population-level figures only; no client ids): the
 * file store's own place for it, and what a SQL store takes in once on upgrade (server.ts).
 */
export function priorFile(dataDir: string, logger: Logger): { load(): PublishedPrior | null; save(prior: PublishedPrior): void } {
  const path = join(dataDir, 'twin-prior.json');
  return {
    load() {
      if (!existsSync(path)) return null;
      const parsed = publishedPriorSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
      if (!parsed.success) {
        logger.warn({ path }, 'ignored a twin-prior file that does not validate; the built-in prior is served until the next prior round');
        return null;
      }
      return parsed.data;
    },
    save(prior) {
      writeFileAtomic(path, `${JSON.stringify(prior, null, 2)}\n`);
    },
  };
}

/**
 * Upgrade: a coordinator that kept the published prior only in `<dataDir>/twin-prior.json` hands it to its SQL store,
 * once (only while the store holds none; the file is left as it was). True when it was taken in.
 */
export function importPriorFile(dataDir: string, store: { loadTwinPrior(): PublishedPrior | null; importTwinPrior(prior: PublishedPrior): boolean }, logger: Logger): boolean {
  if (store.loadTwinPrior()) return false;
  const prior = priorFile(dataDir, logger).load();
  if (!prior || !store.importTwinPrior(prior)) return false;
  logger.info({ path: join(dataDir, 'twin-prior.json') }, 'took the published twin prior into the database; the file is no longer read');
  return true;
}
