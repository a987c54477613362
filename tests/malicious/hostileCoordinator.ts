import nacl from 'tweetnacl';
import { secAggPolicy } from '@huddle/client-sdk';
import { defaultPrivacyPolicy, type PrivacyPolicy, type SecureFit } from '@huddle/shared/protocol';
import {
  SecAggClient,
  SecAggServer,
  countersignEnrollment,
  detectX25519,
  pairSign,
  toHex,
  type ConsistencyProofMessage,
  type MaskedInputMessage,
  type RosterMessage,
  type SecAggClientPolicy,
  type UnmaskResponseMessage,
} from '@huddle/shared/secagg';
// The attacker's tools are the protocol's own primitives, used against one client instead of the sum.
import { wordsFromLeBytes } from '../../shared/src/secagg/field.ts';
import { deriveMaskKey } from '../../shared/src/secagg/kdf.ts';
import { applyMasks, type MaskTerm } from '../../shared/src/secagg/masking.ts';
import { importPrgSeed } from '../../shared/src/secagg/prg.ts';
import { recoverSecret } from '../../shared/src/secagg/shamir.ts';

export const D = 8;
export const CLIP = 1;

/** The fit settings the hostile coordinator announces for a secure round without DP. */
export const ENC: SecureFit = { scale: 1 << 16, vectorLength: D, noiseSigma: 0, minNeighbours: 2, releaseStats: false, exampleWeightCap: 0 };

export interface Athlete {
  id: string;
  /** Ed25519 enrollment key pair; the coordinator knows only the public half (unless it is a Sybil). */
  keys: nacl.SignKeyPair;
  client: SecAggClient;
  input: Uint32Array;
}

/** The policy the client SDK derives for this round from the athlete's consented terms (client-sdk secAggPolicy). */
export function sdkPolicy(policy: PrivacyPolicy = defaultPrivacyPolicy(), enc: SecureFit = ENC): SecAggClientPolicy {
  return secAggPolicy(policy, enc, CLIP);
}

export function randomInput(): Uint32Array {
  return crypto.getRandomValues(new Uint32Array(D));
}

export function athlete(id: string, roundId: string, policy: SecAggClientPolicy | undefined, keys = nacl.sign.keyPair()): Athlete {
  return { id, keys, client: new SecAggClient({ roundId, clientId: id, signingKey: keys.secretKey, ...(policy ? { policy } : {}) }), input: randomInput() };
}

/** An auditor key pair (held by the athletes' representative) and the policy pinning its public key. */
export function auditor(): { keys: nacl.SignKeyPair; policy: PrivacyPolicy } {
  const keys = nacl.sign.keyPair();
  return { keys, policy: { ...defaultPrivacyPolicy(), auditorPublicKey: toHex(keys.publicKey) } };
}

/**
 * The coordinator's honest state machine, which the hostile coordinator drives and then deviates from: it holds the
 * enrollment public keys (and any countersignatures) of everyone it lists.
 */
export function serverFor(roundId: string, athletes: readonly Athlete[], opts: { neighbours?: number; threshold?: number; countersign?: nacl.SignKeyPair; open?: boolean; notCountersigned?: ReadonlySet<string> } = {}): SecAggServer {
  const byId = new Map(athletes.map((a) => [a.id, a]));
  return new SecAggServer({
    roundId,
    vectorLength: D,
    ...(opts.neighbours ? { neighbours: opts.neighbours } : {}),
    ...(opts.threshold ? { threshold: opts.threshold } : {}),
    identityOf: (id) => {
      const a = byId.get(id);
      if (!a || opts.open) return null;
      return {
        enrollmentPublicKey: a.keys.publicKey,
        ...(opts.countersign && !opts.notCountersigned?.has(id) ? { auditorSignature: countersignEnrollment(opts.countersign.secretKey, id, a.keys.publicKey) } : {}),
      };
    },
  });
}

export async function advertiseAll(server: SecAggServer, athletes: readonly Athlete[]): Promise<RosterMessage> {
  for (const a of athletes) await server.acceptAdvertiseKeys(await a.client.advertiseKeys());
  return server.roster();
}

/** Runs a whole round with everyone following the protocol, returning what the coordinator saw. */
export async function honestRound(server: SecAggServer, athletes: readonly Athlete[]): Promise<{ sum: Uint32Array; masked: Map<string, MaskedInputMessage> }> {
  const roster = await advertiseAll(server, athletes);
  for (const a of athletes) server.acceptShareKeys(await a.client.shareKeys(roster));
  const relays = server.relay();
  const masked = new Map<string, MaskedInputMessage>();
  for (const a of athletes) {
    const m = await a.client.maskInput(a.input, relays.get(a.id)!);
    masked.set(a.id, m);
    server.acceptMaskedInput(m);
  }
  const request = server.unmaskRequest();
  for (const a of athletes) server.acceptSurvivorSignature(await a.client.checkSurvivors(request));
  const proof = server.consistencyProof();
  for (const a of athletes) server.acceptUnmaskResponse(await a.client.unmask(proof));
  return { sum: await server.finalize(), masked };
}

/**
 * The attack on one client: from its masked input and whatever unmask responses the coordinator obtained, rebuild
 * b_u and s_u^SK and strip every mask off y_u. Null when fewer than t shares of either kind were revealed.
 */
export async function unmaskOne(
  roster: RosterMessage,
  target: string,
  neighbours: readonly string[],
  masked: MaskedInputMessage | undefined,
  responses: readonly UnmaskResponseMessage[],
): Promise<Uint32Array | null> {
  const t = roster.params.threshold;
  const b = responses.flatMap((r) => r.selfMaskShares.filter((s) => s.owner === target).map((s) => s.share));
  const s = responses.flatMap((r) => r.maskKeyShares.filter((x) => x.owner === target).map((x) => x.share));
  if (!masked || b.length < t || s.length < t) return null;
  const backend = await detectX25519();
  const seed = await recoverSecret(b, t);
  const pair = await backend.fromSecretKey(await recoverSecret(s, t));
  const keyOf = new Map(roster.participants.map((p) => [p.clientId, p.maskPublicKey]));
  const x = wordsFromLeBytes(masked.masked);
  const terms: MaskTerm[] = [{ key: await importPrgSeed(seed), sign: -1 }];
  for (const v of neighbours) {
    terms.push({
      key: async () => deriveMaskKey(await backend.sharedSecret(pair, keyOf.get(v)!), roster.roundId, target, v),
      sign: pairSign(target, v) === 1 ? -1 : 1,
    });
  }
  await applyMasks(x, terms);
  return x;
}

/** Runs `step`, returning the SecAggError code it was refused with (or 'accepted'). */
export async function outcome(step: () => Promise<unknown>): Promise<string> {
  try {
    await step();
    return 'accepted';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
}

export type { ConsistencyProofMessage };
