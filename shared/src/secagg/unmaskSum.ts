import { bytesEqual, type Bytes } from './bytes.ts';
import { selfMaskCommitment } from './commitment.ts';
import { SecAggError } from './errors.ts';
import { pairSign } from './ids.ts';
import { deriveMaskKey } from './kdf.ts';
import { applyMasks, type MaskTerm } from './masking.ts';
import { importPrgSeed } from './prg.ts';
import { recoverSecret } from './shamir.ts';
import type { X25519Backend } from './x25519.ts';

export interface RecoveryInput {
  readonly roundId: string;
  readonly threshold: number;
  readonly backend: X25519Backend;
  /** U3, each with the revealed shares of its b_u. */
  readonly survivors: readonly { clientId: string; commitment: Uint8Array; shares: readonly Bytes[] }[];
  /** Dropped clients whose pairwise masks some survivor added, with the revealed shares of their s_u^SK. */
  readonly dropped: readonly {
    clientId: string;
    maskPublicKey: Uint8Array;
    shares: readonly Bytes[];
    survivingNeighbours: readonly { clientId: string; maskPublicKey: Uint8Array }[];
  }[];
}

/**
 * Bonawitz et al. Round 4 (server): sum (in place) = sum of y_v over U3, minus PRG(b_u) for every survivor u, minus the
 * pairwise mask sign(v, u) * PRG(s_vu) every survivor v added for each dropped neighbour u, recomputed from the
 * reconstructed s_u^SK and s_v^PK. Pairwise masks between two survivors cancel and need no work.
 */
export async function unmaskSum(sum: Uint32Array, input: RecoveryInput): Promise<void> {
  const { roundId, threshold: t, backend } = input;
  const short = [...input.survivors, ...input.dropped].filter((c) => c.shares.length < t).map((c) => c.clientId);
  if (short.length > 0) {
    throw new SecAggError('INSUFFICIENT_SHARES', `fewer than ${t} shares revealed for ${short.slice(0, 5).join(', ')}`, {
      clients: short,
    });
  }
  const reconstructionFailed = (id: string, what: string) =>
    new SecAggError('RECONSTRUCTION_FAILED', `reconstructed ${what} of ${id} does not match its commitment`, { client: id });

  const terms: MaskTerm[] = [];
  await Promise.all(
    input.survivors.map(async (s) => {
      const seed = await recoverSecret(s.shares, t);
      if (!bytesEqual(selfMaskCommitment(roundId, s.clientId, seed), s.commitment)) {
        throw reconstructionFailed(s.clientId, 'b_u');
      }
      terms.push({ key: () => importPrgSeed(seed), sign: -1 });
    }),
  );
  await Promise.all(
    input.dropped.map(async (d) => {
      const pair = await backend.fromSecretKey(await recoverSecret(d.shares, t));
      if (!bytesEqual(pair.publicKey, d.maskPublicKey)) throw reconstructionFailed(d.clientId, 's_u^SK');
      for (const v of d.survivingNeighbours) {
        terms.push({
          key: async () => {
            const secret = await backend.sharedSecret(pair, v.maskPublicKey);
            try {
              return await deriveMaskKey(secret, roundId, d.clientId, v.clientId);
            } finally {
              secret.fill(0);
            }
          },
          sign: pairSign(v.clientId, d.clientId) === 1 ? -1 : 1,
        });
      }
    }),
  );
  await applyMasks(sum, terms);
}
