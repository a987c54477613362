import { z } from 'zod';
import { bytesEqual, bytesKey, copyBytes, type Bytes } from './bytes.ts';
import { shareCommitment } from './commitment.ts';
import { SecAggAbort, SecAggError, fail, type SecAggErrorCode } from './errors.ts';
import { accumulate, toFieldVector } from './field.ts';
import { NeighbourGraph } from './graph.ts';
import { sortIds } from './ids.ts';
import { advertisementBytes, survivorSetBytes, verifySignature } from './identity.ts';
import {
  advertiseKeysSchema,
  survivorSignatureSchema,
  maskedInputSchema,
  parseMessage,
  shareKeysSchema,
  unmaskResponseSchema,
  type AdvertiseKeysMessage,
  type ConsistencyProofMessage,
  type EncryptedShares,
  type MaskedInputMessage,
  type ParticipantKeys,
  type RelayMessage,
  type RosterMessage,
  type ShareKeysMessage,
  type SurvivorSignatureMessage,
  type UnmaskRequestMessage,
  type UnmaskResponseMessage,
} from './messages.ts';
import { MIN_PARTICIPANTS, resolveParams, type ParamsConfig, type SecAggParams } from './params.ts';
import { unmaskSum, type RecoveryInput } from './unmaskSum.ts';
import { detectX25519, type X25519Backend, type X25519KeyPair } from './x25519.ts';

export interface SecAggServerOptions extends ParamsConfig {
  readonly roundId: string;
  /** Abort at roster time below this many advertised clients (default and floor: 3). */
  readonly minClients?: number;
  /** Default: `detectX25519()`. */
  readonly x25519?: X25519Backend;
  /**
   * Enrolled federations: each client's enrollment key (and auditor countersignature, if stored). A client with one
   * must sign its advertisement with it, and the roster carries both to every peer; null = no identity (open
   * federations), which clients whose policy requires signatures refuse.
   */
  readonly identityOf?: (clientId: string) => PeerIdentity | null;
}

export interface PeerIdentity {
  readonly enrollmentPublicKey: Uint8Array;
  readonly auditorSignature?: Uint8Array | undefined;
}

/** 'closing': a roster or the final sum is being computed; messages arriving meanwhile are refused. */
export type SecAggServerPhase = 'advertise' | 'closing' | 'share' | 'mask' | 'consistency' | 'unmask' | 'done' | 'aborted';

/** Transports may also hand the masked vector over as Uint32Array or number[]; toFieldVector checks the values. */
const lenientMaskedInputSchema = maskedInputSchema.extend({
  masked: z.union([maskedInputSchema.shape.masked, z.instanceof(Uint32Array), z.array(z.unknown())]),
});

interface Shared {
  readonly commitment: Uint8Array;
  readonly shares: ReadonlyMap<string, EncryptedShares>;
}

/**
 * The coordinator's side of one round. It only relays ciphertexts and learns the sum of the survivors' inputs.
 * Each `accept*` validates one client message and throws SecAggError (the message is ignored) on any violation;
 * `roster`, `relay`, `unmaskRequest` and `finalize` close a phase. Closing calls are idempotent. Once aborted, every
 * call throws the SecAggAbort.
 */
export class SecAggServer {
  readonly roundId: string;
  private readonly options: SecAggServerOptions;
  private state: SecAggServerPhase = 'advertise';
  private abortError: SecAggAbort | undefined;
  private backend: X25519Backend | undefined;
  /** Throwaway key pair used to test advertised keys for low order. */
  private probe: Promise<X25519KeyPair> | undefined;
  private readonly advertised = new Map<string, ParticipantKeys>();
  private rosterPromise: Promise<RosterMessage> | undefined;
  private params: SecAggParams | undefined;
  private graph: NeighbourGraph | undefined;
  private keys = new Map<string, ParticipantKeys>();
  private readonly shared = new Map<string, Shared>();
  private relayed: ReadonlyMap<string, RelayMessage> | undefined;
  private u2 = new Set<string>();
  private sum: Uint32Array | undefined;
  private readonly maskedFrom = new Set<string>();
  private readonly rejected = new Set<string>();
  private request: UnmaskRequestMessage | undefined;
  private survivors = new Set<string>();
  private dropped = new Set<string>();
  private readonly survivorSignatures = new Map<string, Uint8Array | undefined>();
  private proof: ConsistencyProofMessage | undefined;
  private signers = new Set<string>();
  private readonly responses = new Map<string, UnmaskResponseMessage>();
  /** Clients caught cheating this round (bad revealed shares, shares inconsistent with their own commitments). */
  private readonly blamed = new Set<string>();
  private finalPromise: Promise<Uint32Array> | undefined;

  constructor(options: SecAggServerOptions) {
    this.roundId = options.roundId;
    this.options = options;
    this.backend = options.x25519;
  }

  get phase(): SecAggServerPhase {
    return this.state;
  }

  get abortReason(): SecAggAbort | undefined {
    return this.abortError;
  }

  /** Clients identified as cheating this round (their shares were left out, or they caused the abort). */
  get cheaters(): readonly string[] {
    return sortIds(this.blamed);
  }

  /** Round 0. Rejects low-order public keys now rather than letting them break every neighbour later. */
  async acceptAdvertiseKeys(message: AdvertiseKeysMessage): Promise<void> {
    this.expectPhase('advertise');
    const m = parseMessage(advertiseKeysSchema, message);
    this.checkRound(m.roundId);
    if (this.advertised.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already advertised keys`);
    const backend = (this.backend ??= await detectX25519());
    this.probe ??= backend.generateKeyPair(false);
    const probe = await this.probe;
    await Promise.all([backend.sharedSecret(probe, m.encPublicKey), backend.sharedSecret(probe, m.maskPublicKey)]);
    let identity: Partial<ParticipantKeys> = {};
    const id = this.options.identityOf?.(m.clientId);
    if (id) {
      if (!verifySignature(id.enrollmentPublicKey, advertisementBytes(this.roundId, m.clientId, m.encPublicKey, m.maskPublicKey), m.signature)) {
        fail('SIGNATURE_INVALID', `the key advertisement of ${m.clientId} is not signed by its enrollment key`);
      }
      identity = {
        enrollmentPublicKey: copyBytes(id.enrollmentPublicKey),
        signature: copyBytes(m.signature!),
        ...(id.auditorSignature ? { auditorSignature: copyBytes(id.auditorSignature) } : {}),
      };
    }
    this.expectPhase('advertise');
    if (this.advertised.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already advertised keys`);
    this.advertised.set(m.clientId, {
      clientId: m.clientId,
      encPublicKey: copyBytes(m.encPublicKey),
      maskPublicKey: copyBytes(m.maskPublicKey),
      ...identity,
    });
  }

  /** Closes Round 0: U1 = clients with valid keys (a key reused across clients drops both); broadcast to all of U1. */
  async roster(): Promise<RosterMessage> {
    this.rethrowAbort();
    this.rosterPromise ??= this.guard(async () => {
      this.expectPhase('advertise');
      this.state = 'closing';
      const keyOwners = new Map<string, string[]>();
      for (const p of this.advertised.values()) {
        for (const key of [p.encPublicKey, p.maskPublicKey]) {
          const k = bytesKey(key);
          keyOwners.set(k, [...(keyOwners.get(k) ?? []), p.clientId]);
        }
      }
      const reused = new Set([...keyOwners.values()].filter((o) => o.length > 1).flat());
      const participants = sortIds(this.advertised.keys())
        .filter((id) => !reused.has(id))
        .map((id) => this.advertised.get(id)!);
      const minClients = Math.max(MIN_PARTICIPANTS, this.options.minClients ?? MIN_PARTICIPANTS);
      if (participants.length < minClients) {
        this.abort('TOO_FEW_CLIENTS', `${participants.length} clients advertised keys; need ${minClients}`);
      }
      let params: SecAggParams;
      try {
        params = resolveParams(participants.length, this.options);
      } catch (e) {
        this.abort('INVALID_PARAMS', e instanceof SecAggError ? e.reason : String(e));
      }
      this.params = params;
      this.keys = new Map(participants.map((p) => [p.clientId, p]));
      this.graph = await NeighbourGraph.build(this.roundId, participants, params.neighbours);
      this.state = 'share';
      return { kind: 'secagg/roster', roundId: this.roundId, params, participants };
    });
    return this.rosterPromise;
  }

  /** Round 1: exactly one ciphertext from the sender to each of its neighbours. */
  acceptShareKeys(message: ShareKeysMessage): void {
    this.expectPhase('share');
    const m = parseMessage(shareKeysSchema, message);
    this.checkRound(m.roundId);
    const graph = this.graph!;
    if (!this.keys.has(m.clientId)) fail('UNKNOWN_PARTICIPANT', `${m.clientId} is not in the roster`);
    if (this.shared.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already shared keys`);
    const shares = new Map<string, EncryptedShares>();
    for (const c of m.shares) {
      this.checkRound(c.roundId);
      if (c.from !== m.clientId) fail('MISADDRESSED', `ciphertext from ${c.from} inside ${m.clientId}'s message`);
      if (!graph.areNeighbours(c.from, c.to)) fail('NOT_A_NEIGHBOUR', `${c.to} is not a neighbour of ${c.from}`);
      if (shares.has(c.to)) fail('DUPLICATE', `two ciphertexts for ${c.to}`);
      shares.set(c.to, c);
    }
    if (shares.size !== graph.degree) fail('INVALID_MESSAGE', `expected ${graph.degree} ciphertexts, got ${shares.size}`);
    this.shared.set(m.clientId, { commitment: m.selfMaskCommitment, shares });
  }

  /**
   * Closes Round 1. U2 = clients that shared keys, pruned of any whose neighbours in U2 hold fewer than t of its
   * shares (its masks could never be removed; pruning is the same as that client dropping before Round 1).
   * Returns one message per member of U2.
   */
  relay(): ReadonlyMap<string, RelayMessage> {
    this.rethrowAbort();
    if (this.relayed) return this.relayed;
    this.expectPhase('share');
    const graph = this.graph!;
    const t = this.params!.threshold;
    const u2 = new Set(this.shared.keys());
    for (let changed = true; changed; ) {
      changed = false;
      for (const u of u2) {
        if (graph.neighbours(u).filter((v) => u2.has(v)).length < t) {
          u2.delete(u);
          changed = true;
        }
      }
    }
    if (u2.size === 0) {
      this.abort('TOO_FEW_CLIENTS', `${this.shared.size} clients shared keys; none keeps ${t} neighbours that did`);
    }
    const relayed = new Map<string, RelayMessage>();
    for (const v of sortIds(u2)) {
      const shares = graph
        .neighbours(v)
        .filter((u) => u2.has(u))
        .map((u) => this.shared.get(u)!.shares.get(v)!);
      relayed.set(v, { kind: 'secagg/relay', roundId: this.roundId, to: v, shares });
    }
    this.u2 = u2;
    this.relayed = relayed;
    this.sum = new Uint32Array(this.params!.vectorLength);
    this.state = 'mask';
    return relayed;
  }

  /**
   * Round 2. A vector of the wrong length or outside Z/2^32 is refused and its sender counted as dropped for the
   * rest of the round. Accepted vectors are summed immediately (the server never needs them individually).
   */
  acceptMaskedInput(message: MaskedInputMessage): void {
    this.expectPhase('mask');
    const m = parseMessage(lenientMaskedInputSchema, message);
    this.checkRound(m.roundId);
    if (!this.u2.has(m.clientId)) fail('UNKNOWN_PARTICIPANT', `${m.clientId} is not in U2`);
    if (this.rejected.has(m.clientId)) fail('REJECTED', `${m.clientId} was already refused this round`);
    if (this.maskedFrom.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already sent its masked input`);
    let y: Uint32Array;
    try {
      y = toFieldVector(m.masked, this.params!.vectorLength);
    } catch (e) {
      this.rejected.add(m.clientId);
      const err = e as SecAggError;
      fail(err.code, `masked input of ${m.clientId} refused, counted as dropped: ${err.reason}`);
    }
    accumulate(this.sum!, y, 1);
    this.maskedFrom.add(m.clientId);
  }

  /**
   * Closes Round 2: U3 = senders of valid masked inputs, dropped = U2 \ U3. Aborts, before anyone reveals a share,
   * unless t survivors remain overall and among the neighbours of every survivor and of every dropped client whose
   * pairwise masks must be removed.
   */
  unmaskRequest(): UnmaskRequestMessage {
    this.rethrowAbort();
    if (this.request) return this.request;
    this.expectPhase('mask');
    const graph = this.graph!;
    const t = this.params!.threshold;
    const survivors = new Set(sortIds(this.maskedFrom));
    const dropped = new Set(sortIds([...this.u2].filter((u) => !survivors.has(u))));
    if (survivors.size < t) this.abort('TOO_FEW_SURVIVORS', `${survivors.size} survivors; threshold is ${t}`);
    const starved: string[] = [];
    for (const u of [...survivors, ...dropped]) {
      const alive = graph.neighbours(u).filter((v) => survivors.has(v)).length;
      if (alive < t && (survivors.has(u) || alive > 0)) starved.push(u);
    }
    if (starved.length > 0) {
      this.abort('TOO_FEW_SURVIVORS', `fewer than ${t} surviving neighbours around ${starved.slice(0, 5).join(', ')}`, {
        starved,
      });
    }
    this.survivors = survivors;
    this.dropped = dropped;
    this.request = { kind: 'secagg/unmask-request', roundId: this.roundId, survivors: [...survivors], dropped: [...dropped] };
    this.state = 'consistency';
    return this.request;
  }

  /** Consistency round: a survivor's signature of the survivor set (checked here so one bad one cannot spoil the proof). */
  acceptSurvivorSignature(message: SurvivorSignatureMessage): void {
    this.expectPhase('consistency');
    const m = parseMessage(survivorSignatureSchema, message);
    this.checkRound(m.roundId);
    if (!this.survivors.has(m.clientId)) fail('UNKNOWN_PARTICIPANT', `${m.clientId} is not a survivor`);
    if (this.survivorSignatures.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already signed`);
    const key = this.keys.get(m.clientId)!.enrollmentPublicKey;
    const request = this.request!;
    if (key && !verifySignature(key, survivorSetBytes(this.roundId, request.survivors, request.dropped), m.signature)) {
      fail('SIGNATURE_INVALID', `${m.clientId}'s signature of the survivor set does not verify`);
    }
    this.survivorSignatures.set(m.clientId, m.signature ? copyBytes(m.signature) : undefined);
  }

  /** Closes the consistency round: U4 = signers, who get every signature; aborts below t signers. */
  consistencyProof(): ConsistencyProofMessage {
    this.rethrowAbort();
    if (this.proof) return this.proof;
    this.expectPhase('consistency');
    const t = this.params!.threshold;
    const signers = sortIds(this.survivorSignatures.keys());
    if (signers.length < t) this.abort('TOO_FEW_SURVIVORS', `${signers.length} survivors signed the survivor set; threshold is ${t}`);
    this.signers = new Set(signers);
    const request = this.request!;
    this.proof = {
      kind: 'secagg/consistency-proof',
      roundId: this.roundId,
      survivors: request.survivors,
      dropped: request.dropped,
      signatures: signers.map((clientId) => {
        const signature = this.survivorSignatures.get(clientId);
        return signature ? { clientId, signature } : { clientId };
      }),
    };
    this.state = 'unmask';
    return this.proof;
  }

  /** Round 4: b-shares only for surviving neighbours, s-shares only for dropped ones. */
  acceptUnmaskResponse(message: UnmaskResponseMessage): void {
    this.expectPhase('unmask');
    const m = parseMessage(unmaskResponseSchema, message);
    this.checkRound(m.roundId);
    const graph = this.graph!;
    if (!this.signers.has(m.clientId)) fail('UNKNOWN_PARTICIPANT', `${m.clientId} did not sign the survivor set`);
    if (this.responses.has(m.clientId)) fail('DUPLICATE', `${m.clientId} already answered`);
    const owners = new Set<string>();
    const check = (owner: string, expected: Set<string>, what: string) => {
      if (!graph.areNeighbours(owner, m.clientId)) fail('NOT_A_NEIGHBOUR', `${m.clientId} holds no share of ${owner}`);
      if (!expected.has(owner)) fail('INCONSISTENT_REQUEST', `${what} share for ${owner}, which was not requested`);
      if (owners.has(owner)) fail('DUPLICATE', `two shares for ${owner}`);
      owners.add(owner);
    };
    for (const s of m.selfMaskShares) check(s.owner, this.survivors, 'self-mask');
    for (const s of m.maskKeyShares) check(s.owner, this.dropped, 'mask-key');
    this.responses.set(m.clientId, m);
  }

  /** Closes Round 3: the exact sum mod 2^32 of the survivors' inputs, or SecAggAbort. */
  async finalize(): Promise<Uint32Array> {
    this.rethrowAbort();
    this.finalPromise ??= this.guard(async () => {
      this.expectPhase('unmask');
      this.state = 'closing';
      const t = this.params!.threshold;
      const selfMask = new Map<string, Bytes[]>();
      const maskKey = new Map<string, Bytes[]>();
      for (const responder of sortIds(this.responses.keys())) {
        const r = this.responses.get(responder)!;
        // A responder revealing any share its dealer did not commit to is identified, and all its shares are left out.
        if (!this.sharesCommitted(r)) {
          this.blamed.add(responder);
          continue;
        }
        for (const s of r.selfMaskShares) selfMask.set(s.owner, [...(selfMask.get(s.owner) ?? []), s.share as Bytes]);
        for (const s of r.maskKeyShares) maskKey.set(s.owner, [...(maskKey.get(s.owner) ?? []), s.share as Bytes]);
      }
      const graph = this.graph!;
      const recovery: RecoveryInput = {
        roundId: this.roundId,
        threshold: t,
        backend: this.backend ?? (await detectX25519()),
        survivors: [...this.survivors].map((u) => ({
          clientId: u,
          commitment: this.shared.get(u)!.commitment,
          shares: selfMask.get(u) ?? [],
        })),
        dropped: [...this.dropped]
          .map((u) => ({
            clientId: u,
            maskPublicKey: this.keys.get(u)!.maskPublicKey,
            shares: maskKey.get(u) ?? [],
            survivingNeighbours: graph
              .neighbours(u)
              .filter((v) => this.survivors.has(v))
              .map((v) => ({ clientId: v, maskPublicKey: this.keys.get(v)!.maskPublicKey })),
          }))
          .filter((d) => d.survivingNeighbours.length > 0),
      };
      const sum = this.sum!;
      try {
        await unmaskSum(sum, recovery);
      } catch (e) {
        if (e instanceof SecAggError) {
          // Every share used was committed by its dealer: a wrong secret means the dealer dealt inconsistent shares.
          const dealer = e.code === 'RECONSTRUCTION_FAILED' ? (e.details as { client?: string } | undefined)?.client : undefined;
          if (dealer) this.blamed.add(dealer);
          this.abort(e.code, e.reason, { ...(e.details as Record<string, unknown> | undefined), cheaters: this.cheaters });
        }
        throw e;
      }
      this.state = 'done';
      return sum;
    });
    return this.finalPromise;
  }

  /** Whether every share in a response hashes to the commitment its dealer sent for this holder. */
  private sharesCommitted(r: UnmaskResponseMessage): boolean {
    return [
      ...r.selfMaskShares.map((s) => ({ s, kind: 'b' as const })),
      ...r.maskKeyShares.map((s) => ({ s, kind: 's' as const })),
    ].every(({ s, kind }) => {
      const dealt = this.shared.get(s.owner)?.shares.get(r.clientId);
      if (!dealt) return false;
      const hash = shareCommitment(this.roundId, s.owner, r.clientId, kind, s.share);
      return bytesEqual(hash, kind === 'b' ? dealt.selfMaskShareHash : dealt.maskKeyShareHash);
    });
  }

  private abort(code: SecAggErrorCode, message: string, details?: Record<string, unknown>): never {
    this.abortError ??= new SecAggAbort(code, message, details);
    this.state = 'aborted';
    throw this.abortError;
  }

  private rethrowAbort(): void {
    if (this.abortError) throw this.abortError;
  }

  private expectPhase(phase: SecAggServerPhase): void {
    this.rethrowAbort();
    if (this.state !== phase) fail('INVALID_STATE', `expected phase '${phase}', server is '${this.state}'`);
  }

  private checkRound(roundId: string): void {
    if (roundId !== this.roundId) fail('WRONG_ROUND', `message is for round ${roundId}`);
  }

  /** Any unexpected failure inside a closing step aborts the round rather than leaving it half-closed. */
  private async guard<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      if (!this.abortError) {
        const code = e instanceof SecAggError ? e.code : 'INVALID_STATE';
        this.abortError = new SecAggAbort(code, e instanceof SecAggError ? e.reason : String((e as Error)?.message ?? e));
        this.state = 'aborted';
      }
      throw this.abortError;
    }
  }
}
