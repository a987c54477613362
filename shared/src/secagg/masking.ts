import { forEachConcurrent } from './concurrency.ts';
import { accumulate } from './field.ts';
import { expandPrg } from './prg.ts';

export interface MaskTerm {
  /** PRG key (b_u's or a pairwise s_uv's AES-CTR key), or a thunk deriving it inside the concurrency window. */
  readonly key: CryptoKey | (() => Promise<CryptoKey>);
  readonly sign: 1 | -1;
}

const MAX_IN_FLIGHT = 32;
const IN_FLIGHT_BYTES = 64 * 1024 * 1024;

/** acc += sum of sign * PRG(key) mod 2^32. Expansions run concurrently, bounded so large D stays within memory. */
export async function applyMasks(acc: Uint32Array, terms: readonly MaskTerm[]): Promise<void> {
  const limit = Math.max(1, Math.min(MAX_IN_FLIGHT, Math.floor(IN_FLIGHT_BYTES / (4 * acc.length))));
  await forEachConcurrent(terms, limit, async (term) => {
    const key = typeof term.key === 'function' ? await term.key() : term.key;
    accumulate(acc, await expandPrg(key, acc.length), term.sign);
  });
}
