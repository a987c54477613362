import { bytesEqual, randomBytes, type Bytes } from './bytes.ts';
import { selfMaskCommitment, shareCommitment } from './commitment.ts';
import { SecAggError, fail } from './errors.ts';
import { wordsToLeBytes } from './field.ts';
import { NeighbourGraph } from './graph.ts';
import { compareIds, pairSign } from './ids.ts';
import { advertisementBytes, sign, survivorSetBytes, verifySignature } from './identity.ts';
import { deriveEncKey, deriveMaskKey } from './kdf.ts';
import { applyMasks, type MaskTerm } from './masking.ts';
import {
  consistencyProofSchema,
  parseMessage,
  relaySchema,
  rosterSchema,
  unmaskRequestSchema,
  type AdvertiseKeysMessage,
  type ConsistencyProofMessage,
  type MaskedInputMessage,
  type ParticipantKeys,
  type RelayMessage,
  type RevealedShare,
  type RosterMessage,
  type ShareKeysMessage,
  type SurvivorSignatureMessage,
  type UnmaskRequestMessage,
  type UnmaskResponseMessage,
} from './messages.ts';
import type { SecAggParams } from './params.ts';
import { importPrgSeed } from './prg.ts';
import { checkRosterPolicy, verifyRoster, type RosterPolicy } from './roster.ts';
import { SECRET_BYTES, shareSecret } from './shamir.ts';
import { openShares, sealShares } from './shareBox.ts';
import { detectX25519, type X25519Backend, type X25519KeyPair } from './x25519.ts';

/**
 * What the client itself insists on; the server's params are never trusted. Refusals throw SecAggError with code
 * POLICY_REFUSED (a floor), SIGNATURE_INVALID (authentication) or CONSISTENCY_FAILED (survivor views).
 */
export interface SecAggClientPolicy extends RosterPolicy {
  /** Expected D, if the client knows the model size. */
  readonly vectorLength?: number;
  /** Reveal no share unless at least this many clients survived masking (distributed DP needs their noise). */
  readonly minSurvivors?: number;
}

export interface SecAggClientOptions {
  readonly roundId: string;
  readonly clientId: string;
  /** Ed25519 enrollment secret key (tweetnacl, 64 bytes): signs the key advertisement and the survivor set. */
  readonly signingKey?: Uint8Array;
  /** Default: `detectX25519()` (WebCrypto where available, tweetnacl otherwise). */
  readonly x25519?: X25519Backend;
  readonly policy?: SecAggClientPolicy;
}

export type SecAggClientPhase = 'new' | 'advertised' | 'shared' | 'masked' | 'signed' | 'done' | 'failed' | 'busy';

interface HeldShares {
  readonly selfMaskShare: Bytes;
  readonly maskKeyShare: Bytes;
}

interface RoundState {
  readonly params: SecAggParams;
  /** U1's ids, and the enrollment keys of those that have one: all a client keeps of the roster after Round 1. */
  readonly members: ReadonlySet<string>;
  readonly enrollmentKeys: ReadonlyMap<string, Uint8Array>;
  readonly neighbours: ReadonlySet<string>;
  /** Participants that count toward the floors (with an auditor: the countersigned ones). */
  readonly counted: ReadonlySet<string>;
  readonly encKeys: ReadonlyMap<string, Bytes>;
  readonly maskKeys: ReadonlyMap<string, CryptoKey>;
  readonly selfMaskKey: CryptoKey;
  readonly selfMaskSeed: Bytes;
}

interface SurvivorView {
  readonly survivors: readonly string[];
  readonly dropped: readonly string[];
  readonly survivorSet: ReadonlySet<string>;
}

/**
 * One client's side of one SecAgg round (Bonawitz et al. 2017, Fig. 4, with the SecAgg+ neighbour graph). Each method
 * consumes the server's previous broadcast and returns the next message to send. Methods must be called once each, in
 * order; any SecAggError moves the client to 'failed' for good and wipes its secrets (fail closed: start a new client
 * for the next round).
 */
export class SecAggClient {
  readonly roundId: string;
  readonly clientId: string;
  private readonly policy: SecAggClientPolicy;
  private readonly signingKey: Uint8Array | undefined;
  private view: SurvivorView | undefined;
  private backend: X25519Backend | undefined;
  private state: SecAggClientPhase = 'new';
  private encPair: X25519KeyPair | undefined;
  private maskPair: X25519KeyPair | undefined;
  private round: RoundState | undefined;
  /** Shares received in Round 1, by owner; the key set is this client's view of U2 within its neighbourhood. */
  private held = new Map<string, HeldShares>();

  constructor(options: SecAggClientOptions) {
    this.roundId = options.roundId;
    this.clientId = options.clientId;
    this.backend = options.x25519;
    this.policy = options.policy ?? {};
    this.signingKey = options.signingKey;
  }

  get phase(): SecAggClientPhase {
    return this.state;
  }

  /** Round 0 AdvertiseKeys: fresh c (share encryption) and s (pairwise masking) key pairs. */
  advertiseKeys(): Promise<AdvertiseKeysMessage> {
    return this.step('new', 'advertised', async () => {
      this.backend ??= await detectX25519();
      const [enc, mask] = await Promise.all([this.backend.generateKeyPair(false), this.backend.generateKeyPair(true)]);
      this.encPair = enc;
      this.maskPair = mask;
      return {
        kind: 'secagg/advertise-keys',
        roundId: this.roundId,
        clientId: this.clientId,
        encPublicKey: enc.publicKey,
        maskPublicKey: mask.publicKey,
        ...(this.signingKey
          ? { signature: sign(this.signingKey, advertisementBytes(this.roundId, this.clientId, enc.publicKey, mask.publicKey)) }
          : {}),
      };
    });
  }

  /** Round 1 ShareKeys: t-of-k shares of b_u and s_u^SK, one secretbox per neighbour. */
  shareKeys(roster: RosterMessage): Promise<ShareKeysMessage> {
    return this.step('advertised', 'shared', async () => {
      const r = parseMessage(rosterSchema, roster);
      if (r.roundId !== this.roundId) fail('WRONG_ROUND', `roster is for round ${r.roundId}`);
      const backend = this.backend!;
      const enc = this.encPair!;
      const mask = this.maskPair!;
      const byId = verifyRoster(r, {
        clientId: this.clientId,
        encPublicKey: enc.publicKey,
        maskPublicKey: mask.publicKey,
      });
      this.checkParams(r.params);
      const graph = await NeighbourGraph.build(this.roundId, r.participants, r.params.neighbours);
      const neighbours = graph.neighbours(this.clientId);
      const counted = checkRosterPolicy(r, this.clientId, neighbours, this.policy);
      const keysOf = (v: string) => byId.get(v)!;

      // Start the 2k key agreements first: they run off the main thread while Shamir splitting runs on it.
      const agree = async <K>(own: X25519KeyPair, peer: Uint8Array, v: string, derive: (s: Bytes, r: string, a: string, b: string) => K) => {
        const secret = await backend.sharedSecret(own, peer);
        try {
          return await derive(secret, this.roundId, this.clientId, v);
        } finally {
          secret.fill(0);
        }
      };
      const agreements = Promise.all([
        Promise.all(neighbours.map((v) => agree(enc, keysOf(v).encPublicKey, v, deriveEncKey))),
        Promise.all(neighbours.map((v) => agree(mask, keysOf(v).maskPublicKey, v, deriveMaskKey))),
      ]);
      agreements.catch(() => undefined);

      const seed = randomBytes(SECRET_BYTES);
      const t = r.params.threshold;
      const commitment = selfMaskCommitment(this.roundId, this.clientId, seed);
      const [bShares, sShares, selfMaskKey] = await Promise.all([
        shareSecret(seed, neighbours, t),
        shareSecret(mask.secretKey!, neighbours, t),
        importPrgSeed(seed),
      ]);
      const [encKeys, maskKeys] = await agreements;

      this.round = {
        params: r.params,
        members: new Set(byId.keys()),
        enrollmentKeys: enrollmentKeysOf(r.participants),
        neighbours: new Set(neighbours),
        counted,
        encKeys: new Map(neighbours.map((v, i) => [v, encKeys[i]!])),
        maskKeys: new Map(neighbours.map((v, i) => [v, maskKeys[i]!])),
        selfMaskKey,
        selfMaskSeed: seed,
      };
      const shares = neighbours.map((v, i) => {
        const sealed = sealShares(encKeys[i]!, {
          roundId: this.roundId,
          from: this.clientId,
          to: v,
          selfMaskShare: bShares.get(v)!,
          maskKeyShare: sShares.get(v)!,
        });
        const selfMaskShareHash = shareCommitment(this.roundId, this.clientId, v, 'b', bShares.get(v)!);
        const maskKeyShareHash = shareCommitment(this.roundId, this.clientId, v, 's', sShares.get(v)!);
        return { roundId: this.roundId, from: this.clientId, to: v, ...sealed, selfMaskShareHash, maskKeyShareHash };
      });
      for (const s of [...bShares.values(), ...sShares.values()]) s.fill(0);
      // Every key derived from c_u and s_u exists now; only their shares (held by neighbours) remain.
      mask.secretKey!.fill(0);
      this.encPair = undefined;
      this.maskPair = undefined;
      return {
        kind: 'secagg/share-keys',
        roundId: this.roundId,
        clientId: this.clientId,
        selfMaskCommitment: commitment,
        shares,
      };
    });
  }

  /**
   * Round 2 MaskedInputCollection: y_u = x_u + PRG(b_u) + sum over neighbours v in U2 of sign(u, v) * PRG(s_uv).
   * U2 (within our neighbourhood) is whoever the relayed, authenticated ciphertexts come from.
   */
  maskInput(input: Uint32Array, relay: RelayMessage): Promise<MaskedInputMessage> {
    return this.step('shared', 'masked', async () => {
      const round = this.round!;
      if (!(input instanceof Uint32Array) || input.length !== round.params.vectorLength) {
        fail('INPUT_LENGTH', `input must be a Uint32Array of length ${round.params.vectorLength}`);
      }
      const m = parseMessage(relaySchema, relay);
      if (m.roundId !== this.roundId) fail('WRONG_ROUND', `relay is for round ${m.roundId}`);
      if (m.to !== this.clientId) fail('MISADDRESSED', `relay is addressed to ${m.to}`);
      for (const c of m.shares) {
        if (c.roundId !== this.roundId) fail('WRONG_ROUND', `ciphertext from ${c.from} is for round ${c.roundId}`);
        if (c.to !== this.clientId) fail('MISADDRESSED', `ciphertext from ${c.from} is addressed to ${c.to}`);
        if (!round.members.has(c.from)) fail('UNKNOWN_PARTICIPANT', `${c.from} is not in the roster`);
        if (!round.neighbours.has(c.from)) fail('NOT_A_NEIGHBOUR', `${c.from} is not our neighbour`);
        if (this.held.has(c.from)) fail('DUPLICATE', `second ciphertext from ${c.from}`);
        const p = openShares(round.encKeys.get(c.from)!, c.nonce, c.box);
        if (p.roundId !== this.roundId) fail('WRONG_ROUND', `shares from ${c.from} are for round ${p.roundId}`);
        if (p.from !== c.from || p.to !== this.clientId) {
          fail('MISADDRESSED', `ciphertext claims ${c.from} -> ${this.clientId} but holds ${p.from} -> ${p.to}`);
        }
        const bHash = shareCommitment(this.roundId, c.from, this.clientId, 'b', p.selfMaskShare);
        const sHash = shareCommitment(this.roundId, c.from, this.clientId, 's', p.maskKeyShare);
        if (!bytesEqual(bHash, c.selfMaskShareHash) || !bytesEqual(sHash, c.maskKeyShareHash)) {
          fail('BAD_SHARE', `the shares ${c.from} dealt us do not match its commitments`, { dealer: c.from });
        }
        this.held.set(c.from, { selfMaskShare: p.selfMaskShare, maskKeyShare: p.maskKeyShare });
      }
      // Bonawitz Round 2: abort if |U2| < t. Here: fewer than t neighbours hold our shares, so b_u is unrecoverable.
      if (this.held.size < round.params.threshold) {
        fail('TOO_FEW_PEERS', `only ${this.held.size} neighbours shared keys; threshold is ${round.params.threshold}`);
      }
      const masked = Uint32Array.from(input);
      const terms: MaskTerm[] = [{ key: round.selfMaskKey, sign: 1 }];
      for (const v of this.held.keys()) terms.push({ key: round.maskKeys.get(v)!, sign: pairSign(this.clientId, v) });
      await applyMasks(masked, terms);
      return { kind: 'secagg/masked-input', roundId: this.roundId, clientId: this.clientId, masked: wordsToLeBytes(masked) };
    });
  }

  /**
   * Consistency round (Bonawitz et al. §6.2 ConsistencyCheck): checks the survivor set U3 against our own view and
   * signs it. Refuses, revealing nothing, unless the request is consistent with our view (every neighbour that shared
   * keys with us is listed, no id twice, sorted), we are a survivor, and at least t survivors remain, globally and
   * among our neighbours (and `minSurvivors` overall).
   */
  checkSurvivors(request: UnmaskRequestMessage): Promise<SurvivorSignatureMessage> {
    return this.step('masked', 'signed', async () => {
      const round = this.round!;
      const m = parseMessage(unmaskRequestSchema, request);
      if (m.roundId !== this.roundId) fail('WRONG_ROUND', `unmask request is for round ${m.roundId}`);
      const survivors = new Set(m.survivors);
      const dropped = new Set(m.dropped);
      if (!isSorted(m.survivors) || !isSorted(m.dropped)) {
        fail('INCONSISTENT_REQUEST', 'survivor and dropped lists must be sorted, without duplicates');
      }
      for (const id of survivors) {
        if (dropped.has(id)) fail('BOTH_SHARES_REQUESTED', `${id} is listed both as survivor and as dropped`);
      }
      for (const id of [...survivors, ...dropped]) {
        if (!round.members.has(id)) fail('UNKNOWN_PARTICIPANT', `${id} is not in the roster`);
      }
      if (!survivors.has(this.clientId)) fail('INCONSISTENT_REQUEST', 'we sent our masked input but are not a survivor');
      const t = round.params.threshold;
      let survivingNeighbours = 0;
      for (const v of round.neighbours) {
        const listed = survivors.has(v) || dropped.has(v);
        if (listed !== this.held.has(v)) {
          fail('INCONSISTENT_REQUEST', `${v} is ${listed ? '' : 'not '}listed but did ${listed ? 'not ' : ''}share keys with us`);
        }
        if (survivors.has(v)) survivingNeighbours++;
      }
      if (survivors.size < t || survivingNeighbours < t) {
        fail('TOO_FEW_SURVIVORS', `${survivors.size} survivors, ${survivingNeighbours} among our neighbours; threshold is ${t}`);
      }
      // Only counted survivors add honest noise and honest inputs to the sum.
      const minSurvivors = this.policy.minSurvivors ?? 0;
      const countedSurvivors = m.survivors.filter((id) => round.counted.has(id)).length;
      if (countedSurvivors < minSurvivors) {
        fail('POLICY_REFUSED', `${countedSurvivors} counted survivors; our policy needs ${minSurvivors} before revealing anything`);
      }
      this.view = { survivors: m.survivors, dropped: m.dropped, survivorSet: survivors };
      return {
        kind: 'secagg/survivor-signature',
        roundId: this.roundId,
        clientId: this.clientId,
        ...(this.signingKey ? { signature: sign(this.signingKey, survivorSetBytes(this.roundId, m.survivors, m.dropped)) } : {}),
      };
    });
  }

  /**
   * Round 4 Unmasking: for each neighbour in U2, the share of b_v if v survived, of s_v^SK if it dropped; never both,
   * and at most one answer per round. Only after the server proves the survivor set consistent: the same lists we
   * signed, every signature valid, and at least t of our neighbours among the signers. Signatures are checked against
   * the enrollment keys of the roster; when signatures are required, a signer without one is refused.
   */
  unmask(proof: ConsistencyProofMessage): Promise<UnmaskResponseMessage> {
    return this.step('signed', 'done', async () => {
      const round = this.round!;
      const view = this.view!;
      const m = parseMessage(consistencyProofSchema, proof);
      if (m.roundId !== this.roundId) fail('WRONG_ROUND', `consistency proof is for round ${m.roundId}`);
      if (!sameList(m.survivors, view.survivors) || !sameList(m.dropped, view.dropped)) {
        fail('CONSISTENCY_FAILED', 'the survivor set in the proof differs from the one we were shown');
      }
      let message: Uint8Array | undefined;
      const signers = new Set<string>();
      for (const s of m.signatures) {
        if (signers.has(s.clientId)) fail('CONSISTENCY_FAILED', `two signatures from ${s.clientId}`);
        if (!view.survivorSet.has(s.clientId)) fail('CONSISTENCY_FAILED', `${s.clientId} signed but is not a survivor`);
        const enrollmentKey = round.enrollmentKeys.get(s.clientId);
        const signed = enrollmentKey !== undefined || s.signature !== undefined || this.policy.requireSignatures;
        if (signed && !verifySignature(enrollmentKey, (message ??= survivorSetBytes(this.roundId, view.survivors, view.dropped)), s.signature)) {
          fail('CONSISTENCY_FAILED', `invalid signature of the survivor set from ${s.clientId}`);
        }
        signers.add(s.clientId);
      }
      if (!signers.has(this.clientId)) fail('CONSISTENCY_FAILED', 'our own signature is missing from the proof');
      const t = round.params.threshold;
      const signingNeighbours = [...round.neighbours].filter((v) => signers.has(v)).length;
      if (signingNeighbours < t) {
        fail('CONSISTENCY_FAILED', `${signingNeighbours} of our neighbours signed the survivor set; threshold is ${t}`);
      }
      const selfMaskShares: RevealedShare[] = [];
      const maskKeyShares: RevealedShare[] = [];
      for (const [owner, held] of this.held) {
        if (view.survivorSet.has(owner)) selfMaskShares.push({ owner, share: held.selfMaskShare.slice() });
        else maskKeyShares.push({ owner, share: held.maskKeyShare.slice() });
      }
      return { kind: 'secagg/unmask-response', roundId: this.roundId, clientId: this.clientId, selfMaskShares, maskKeyShares };
    });
  }

  private checkParams(params: SecAggParams): void {
    const { vectorLength } = this.policy;
    if (vectorLength !== undefined && params.vectorLength !== vectorLength) {
      fail('INVALID_PARAMS', `vectorLength ${params.vectorLength}, expected ${vectorLength}`);
    }
  }

  private async step<T>(from: SecAggClientPhase, to: SecAggClientPhase, run: () => Promise<T>): Promise<T> {
    if (this.state !== from) {
      throw new SecAggError('INVALID_STATE', `expected phase '${from}', client is '${this.state}'`);
    }
    this.state = 'busy';
    try {
      const result = await run();
      this.state = to;
      if (to === 'done') this.wipe();
      return result;
    } catch (e) {
      this.state = 'failed';
      this.wipe();
      throw e;
    }
  }

  private wipe(): void {
    this.maskPair?.secretKey?.fill(0);
    this.round?.selfMaskSeed.fill(0);
    for (const h of this.held.values()) {
      h.selfMaskShare.fill(0);
      h.maskKeyShare.fill(0);
    }
    this.held.clear();
    this.encPair = undefined;
    this.maskPair = undefined;
    this.round = undefined;
    this.view = undefined;
  }
}

/** Copies, so the roster's decoded buffer (one entry per participant) can be freed after Round 1. */
function enrollmentKeysOf(participants: readonly ParticipantKeys[]): Map<string, Uint8Array> {
  const keys = new Map<string, Uint8Array>();
  for (const p of participants) if (p.enrollmentPublicKey) keys.set(p.clientId, p.enrollmentPublicKey.slice());
  return keys;
}

function isSorted(ids: readonly string[]): boolean {
  for (let i = 1; i < ids.length; i++) if (compareIds(ids[i - 1]!, ids[i]!) >= 0) return false;
  return true;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
