import {
  SecAggAbort,
  SecAggError,
  SecAggServer,
  type AdvertiseKeysMessage,
  type MaskedInputMessage,
  type PeerIdentity,
  type StrikeLedger,
  type ShareKeysMessage,
  type SurvivorSignatureMessage,
  type UnmaskResponseMessage,
} from '@huddle/shared/secagg';
import type { Clock } from '../clock.ts';
import { Collector } from '../collector.ts';

export type SecureStep = 'advertise' | 'share' | 'mask' | 'consistency' | 'unmask';

export interface SecureFitOptions {
  roundId: string;
  selected: ReadonlySet<string>;
  /** Updates to wait for before the roster closes. */
  target: number;
  minSurvivors: number;
  vectorLength: number;
  neighbours: number | null;
  threshold: number | null;
  trainDeadline: number;
  phaseTimeoutMs: number;
  clock: Clock;
  /** Enrolled federations: each client's enrollment key, put in the roster so peers can check its signed keys. */
  identityOf?: (clientId: string) => PeerIdentity | null;
  /** Clients caught cheating in earlier rounds; those at the cap are refused, this round's cheaters are recorded. */
  strikes?: StrikeLedger;
  /** Sends one payload to several clients (encoded once). */
  send(clientIds: Iterable<string>, payload: Record<string, unknown>): void;
}

export type SecureFitResult =
  | { ok: true; sum: Uint32Array; survivors: string[]; dropped: string[]; cheaters: string[] }
  | { ok: false; reason: string; survivors: string[]; dropped: string[]; cheaters: string[]; /** Unmasking began: shares may have reached the coordinator. */ released: boolean };

/**
 * The coordinator's four SecAgg steps (Bonawitz et al. 2017) for one round. It relays ciphertexts
 * and learns only the sum of the survivors' masked vectors.
 */
export class SecureFitRound {
  private readonly server: SecAggServer;
  private step: SecureStep = 'advertise';
  private collector: Collector<true>;
  private pending: Promise<unknown> = Promise.resolve();
  /** Clients known to be gone (disconnected, declined, refused): later steps do not wait for them. */
  private readonly gone = new Set<string>();

  constructor(private readonly o: SecureFitOptions) {
    this.server = new SecAggServer({
      roundId: o.roundId,
      vectorLength: o.vectorLength,
      minClients: Math.max(3, o.minSurvivors),
      ...(o.neighbours !== null ? { neighbours: o.neighbours } : {}),
      ...(o.threshold !== null ? { threshold: o.threshold } : {}),
      ...(o.identityOf ? { identityOf: o.identityOf } : {}),
    });
    this.collector = new Collector(o.selected, o.target, o.trainDeadline, o.clock);
  }

  get currentStep(): SecureStep {
    return this.step;
  }

  /** Throws SecAggError (the caller reports it to the client) when the message is refused. */
  async accept(clientId: string, payload: Record<string, unknown>): Promise<void> {
    if (payload.clientId !== clientId) throw new SecAggError('INVALID_MESSAGE', 'payload clientId does not match the sender');
    const kind = payload.kind;
    const expected = {
      advertise: 'secagg/advertise-keys',
      share: 'secagg/share-keys',
      mask: 'secagg/masked-input',
      consistency: 'secagg/survivor-signature',
      unmask: 'secagg/unmask-response',
    }[this.step];
    if (kind !== expected) throw new SecAggError('INVALID_STATE', `expected ${expected} during the ${this.step} step, got ${String(kind).slice(0, 40)}`);
    const collector = this.collector;
    if (collector.isClosed) throw new SecAggError('INVALID_STATE', `the ${this.step} step has closed`);
    try {
      switch (this.step) {
        case 'advertise':
          if (this.o.strikes?.isBarred(clientId)) throw new SecAggError('REJECTED', 'caught sending bad shares too often; refused from secure rounds');
          await this.server.acceptAdvertiseKeys(payload as unknown as AdvertiseKeysMessage);
          break;
        case 'share':
          this.server.acceptShareKeys(payload as unknown as ShareKeysMessage);
          break;
        case 'mask':
          this.server.acceptMaskedInput(payload as unknown as MaskedInputMessage);
          break;
        case 'consistency':
          this.server.acceptSurvivorSignature(payload as unknown as SurvivorSignatureMessage);
          break;
        case 'unmask':
          this.server.acceptUnmaskResponse(payload as unknown as UnmaskResponseMessage);
          break;
      }
    } catch (err) {
      this.drop(clientId);
      throw err;
    }
    collector.accept(clientId, true);
  }

  drop(clientId: string): void {
    this.gone.add(clientId);
    this.collector.drop(clientId);
  }

  async run(): Promise<SecureFitResult> {
    let survivors: string[] = [];
    let dropped: string[] = [];
    try {
      await this.collector.done;
      await this.pending;
      const advertised = [...this.collector.replies.keys()];
      if (advertised.length < this.o.minSurvivors) return { ok: false, reason: `${advertised.length} clients advertised keys by the deadline, ${this.o.minSurvivors} needed`, survivors: advertised, dropped: [], cheaters: [], released: false };
      const roster = await this.server.roster();
      const u1 = new Set(roster.participants.map((p) => p.clientId));
      this.next('share', u1);
      this.o.send(u1, roster as unknown as Record<string, unknown>);
      await this.collector.done;
      const relay = this.server.relay();
      const u2 = new Set(relay.keys());
      this.next('mask', u2);
      for (const [to, message] of relay) this.o.send([to], message as unknown as Record<string, unknown>);
      await this.collector.done;
      survivors = [...this.collector.replies.keys()];
      dropped = [...u1].filter((id) => !this.collector.replies.has(id));
      if (survivors.length < this.o.minSurvivors) {
        return { ok: false, reason: `${survivors.length} masked inputs arrived, ${this.o.minSurvivors} needed; nothing was unmasked`, survivors, dropped, cheaters: [], released: false };
      }
      const request = this.server.unmaskRequest();
      survivors = request.survivors;
      dropped = [...u1].filter((id) => !request.survivors.includes(id));
      this.next('consistency', new Set(request.survivors));
      this.o.send(request.survivors, request as unknown as Record<string, unknown>);
      await this.collector.done;
      const proof = this.server.consistencyProof();
      const signers = proof.signatures.map((s) => s.clientId);
      this.next('unmask', new Set(signers));
      this.o.send(signers, proof as unknown as Record<string, unknown>);
      await this.collector.done;
      const sum = await this.server.finalize();
      return { ok: true, sum, survivors, dropped, cheaters: [...this.server.cheaters] };
    } catch (err) {
      if (err instanceof SecAggAbort || err instanceof SecAggError) return { ok: false, reason: `secure aggregation aborted: ${err.message}`, survivors, dropped, cheaters: [...this.server.cheaters], released: this.step === 'unmask' };
      throw err;
    } finally {
      this.collector.close();
      this.o.strikes?.record(this.server.cheaters);
    }
  }

  private next(step: SecureStep, members: ReadonlySet<string>): void {
    this.step = step;
    this.collector = new Collector(members, members.size, this.o.clock.now() + this.o.phaseTimeoutMs, this.o.clock);
    for (const id of this.gone) this.collector.drop(id);
  }
}
