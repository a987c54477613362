import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { publishedPriorSchema, type PublishedPrior } from '@huddle/shared/twin';
import type { Logger } from '@huddle/shared/util';
import { writeFileAtomic } from './fileStore.ts';

/** The published twin prior kept in `<dataDir>/twin-prior.json` (population-level figures only; no client ids). */
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
