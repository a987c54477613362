import { DEFAULT_PRIOR, priorSourceNote, publishedPriorSchema, type PopulationPrior, type PublishedPrior } from '@huddle/shared/twin';

export class PriorFetchError extends Error {
  override name = 'PriorFetchError';
}

/**
 * The federation's twin prior from `GET <origin>/api/twin-prior`, validated; null when the coordinator has not
 * published one (204; 404 from coordinators without the twin-prior task). Anything else (unreachable, malformed) throws, so the app can fall back to its cached copy.
 */
export async function fetchTwinPrior(origin: string, fetchImpl: typeof fetch = fetch): Promise<PublishedPrior | null> {
  const res = await fetchImpl(`${origin}/api/twin-prior`, { cache: 'no-store' });
  if (res.status === 204 || res.status === 404) return null;
  if (!res.ok) throw new PriorFetchError(`the twin prior is not available (HTTP ${res.status})`);
  const parsed = publishedPriorSchema.safeParse(await res.json());
  if (!parsed.success) throw new PriorFetchError(`the coordinator's twin prior is not valid: ${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`.trim());
  return parsed.data;
}

export interface PriorChoice {
  prior: PopulationPrior;
  source: 'federated' | 'built-in';
  /** "Population prior: the federation's, learned on ... from N athletes..." or "...the built-in default...". */
  note: string;
}

/** The federation's published prior when there is one, else the built-in default, saying which. */
export function choosePrior(published: PublishedPrior | null | undefined): PriorChoice {
  if (!published) return { prior: DEFAULT_PRIOR, source: 'built-in', note: priorSourceNote(null) };
  return { prior: published.prior, source: 'federated', note: priorSourceNote(published) };
}
