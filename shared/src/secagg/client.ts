import { randomBytes, type Bytes } from './bytes.ts';
import { selfMaskCommitment } from './commitment.ts';
import { SecAggError, fail } from './errors.ts';
import { wordsToLeBytes } from './field.ts';
import { NeighbourGraph } from './graph.ts';
import { pairSign } from './ids.ts';
import { deriveEncKey, deriveMaskKey } from './kdf.ts';
import { applyMasks, type MaskTerm } from './masking.ts';
import {
  parseMessage,
  relaySchema,
  rosterSchema,
  unmaskRequestSchema,
  type AdvertiseKeysMessage,
  type MaskedInputMessage,
  type ParticipantKeys,
  type RelayMessage,
  type RevealedShare,
  type RosterMessage,
  type ShareKeysMessage,
  type UnmaskRequestMessage,
  type UnmaskResponseMessage,
} from './messages.ts';
import type { SecAggParams } from './params.ts';
import { importPrgSeed } from './prg.ts';
import { verifyRoster } from './roster.ts';
import { SECRET_BYTES, shareSecret } from './shamir.ts';
import { openShares, sealShares } from './shareBox.ts';
import { detectX25519, type X25519Backend, type X25519KeyPair } from './x25519.ts';

export interface SecAggClientPolicy {
  /** Refuse rosters whose k is below this (a server choosing a tiny neighbourhood weakens privacy). */
  readonly minNeighbours?: number;
  readonly minThreshold?: number;
  /** Expected D, if the client knows the model size. */
  readonly vectorLength?: number;
}

export interface SecAggClientOptions {
  readonly roundId: string;
  readonly clientId: string;
  /** Default: `detectX25519()` (WebCrypto where available, tweetnacl otherwise). */
  readonly x25519?: X25519Backend;
  readonly policy?: SecAggClientPolicy;
}

export type SecAggClientPhase = 'new' | 'advertised' | 'shared' | 'masked' | 'done' | 'failed' | 'busy';

interface HeldShares {
  readonly selfMaskShare: Bytes;
  readonly maskKeyShare: Bytes;
}

interface RoundState {
  readonly params: SecAggParams;
  readonly roster: ReadonlyMap<string, ParticipantKeys>;
  readonly neighbours: ReadonlySet<string>;
  readonly encKeys: ReadonlyMap<string, Bytes>;
  readonly maskKeys: ReadonlyMap<string, CryptoKey>;
  readonly selfMaskKey: CryptoKey;
  readonly selfMaskSeed: Bytes;
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
      this.checkPolicy(r.params);
      const graph = await NeighbourGraph.build(this.roundId, r.participants, r.params.neighbours);
      const neighbours = graph.neighbours(this.clientId);
      const keysOf = (v: string) => byId.get(v)!;

      // Start the 2k key agreements first: they run off the main thread while Shamir splitting runs on it.
      const agreements = Promise.all([
        Promise.all(
          neighbours.map(async (v) =>
            deriveEncKey(await backend.sharedHkdfKey(enc, keysOf(v).encPublicKey), this.roundId, this.clientId, v),
          ),
        ),
        Promise.all(
          neighbours.map(async (v) =>
            deriveMaskKey(await backend.sharedHkdfKey(mask, keysOf(v).maskPublicKey), this.roundId, this.clientId, v),
          ),
        ),
      ]);
      agreements.catch(() => undefined);

      const seed = randomBytes(SECRET_BYTES);
      const t = r.params.threshold;
      const [bShares, sShares, commitment, selfMaskKey] = await Promise.all([
        shareSecret(seed, neighbours, t),
        shareSecret(mask.secretKey!, neighbours, t),
        selfMaskCommitment(this.roundId, this.clientId, seed),
        importPrgSeed(seed),
      ]);
      const [encKeys, maskKeys] = await agreements;

      this.round = {
        params: r.params,
        roster: byId,
        neighbours: new Set(neighbours),
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
        return { roundId: this.roundId, from: this.clientId, to: v, ...sealed };
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
        if (!round.roster.has(c.from)) fail('UNKNOWN_PARTICIPANT', `${c.from} is not in the roster`);
        if (!round.neighbours.has(c.from)) fail('NOT_A_NEIGHBOUR', `${c.from} is not our neighbour`);
        if (this.held.has(c.from)) fail('DUPLICATE', `second ciphertext from ${c.from}`);
        const p = openShares(round.encKeys.get(c.from)!, c.nonce, c.box);
        if (p.roundId !== this.roundId) fail('WRONG_ROUND', `shares from ${c.from} are for round ${p.roundId}`);
        if (p.from !== c.from || p.to !== this.clientId) {
          fail('MISADDRESSED', `ciphertext claims ${c.from} -> ${this.clientId} but holds ${p.from} -> ${p.to}`);
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
   * Round 3 Unmasking: for each neighbour in U2, the share of b_v if v survived, of s_v^SK if it dropped; never both,
   * and at most one answer per round. Refuses (revealing nothing) unless the request is consistent with our view and
   * at least t survivors remain, globally and among our neighbours.
   */
  unmask(request: UnmaskRequestMessage): Promise<UnmaskResponseMessage> {
    return this.step('masked', 'done', async () => {
      const round = this.round!;
      const m = parseMessage(unmaskRequestSchema, request);
      if (m.roundId !== this.roundId) fail('WRONG_ROUND', `unmask request is for round ${m.roundId}`);
      const survivors = new Set(m.survivors);
      const dropped = new Set(m.dropped);
      if (survivors.size !== m.survivors.length || dropped.size !== m.dropped.length) {
        fail('INCONSISTENT_REQUEST', 'duplicate ids in the unmask request');
      }
      for (const id of survivors) {
        if (dropped.has(id)) fail('BOTH_SHARES_REQUESTED', `${id} is listed both as survivor and as dropped`);
      }
      for (const id of [...survivors, ...dropped]) {
        if (!round.roster.has(id)) fail('UNKNOWN_PARTICIPANT', `${id} is not in the roster`);
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
      const selfMaskShares: RevealedShare[] = [];
      const maskKeyShares: RevealedShare[] = [];
      for (const [owner, held] of this.held) {
        if (survivors.has(owner)) selfMaskShares.push({ owner, share: held.selfMaskShare.slice() });
        else maskKeyShares.push({ owner, share: held.maskKeyShare.slice() });
      }
      return { kind: 'secagg/unmask-response', roundId: this.roundId, clientId: this.clientId, selfMaskShares, maskKeyShares };
    });
  }

  private checkPolicy(params: SecAggParams): void {
    const { minNeighbours, minThreshold, vectorLength } = this.policy;
    if (minNeighbours !== undefined && params.neighbours < minNeighbours) {
      fail('INVALID_PARAMS', `neighbours ${params.neighbours} below our minimum ${minNeighbours}`);
    }
    if (minThreshold !== undefined && params.threshold < minThreshold) {
      fail('INVALID_PARAMS', `threshold ${params.threshold} below our minimum ${minThreshold}`);
    }
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
  }
}
