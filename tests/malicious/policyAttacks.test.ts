import nacl from 'tweetnacl';
import { afterEach, describe, expect, it } from 'vitest';
import { FederatedClient, InMemoryDataSource, type ClientEvent } from '@huddle/client-sdk';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { groupByAthlete } from '@huddle/shared/log';
import { encodeWeights, initialWeights, modelSpec, weightManifest } from '@huddle/shared/model';
import {
  InProcessNetwork,
  PROTOCOL_VERSION,
  decodeClientMessage,
  decodeEnvelope,
  defaultPrivacyPolicy,
  encodeMessage,
  modelChecksum,
  strictPrivacyPolicy,
  SECURE_EXTRA_COORDINATES,
  type ClientMessage,
  type Connection,
  type PrivacyPolicy,
  type SecureFit,
  type ServerMessageInput,
} from '@huddle/shared/protocol';
import { SecAggClient, SecAggServer, type AdvertiseKeysMessage } from '@huddle/shared/secagg';
import { generateSyntheticFederation } from '@huddle/simulations';

const TASK = 'readiness' as const;
const spec = modelSpec(TASK, FEATURE_COUNT);
const parameters = weightManifest(spec).reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
const weights = encodeWeights(initialWeights(spec, 1));
const model = { round: 0, checksum: modelChecksum(weights) };
const rows = [...groupByAthlete(generateSyntheticFederation({ athletes: 1, days: 120, seed: 5 })).values()][0]!;
const FIT = { localEpochs: 1, batchSize: 32, learningRate: 0.05, proximalMu: 0, clipNorm: 5, seed: 1 };
const SECURE: SecureFit = { scale: 2 ** 16, vectorLength: parameters + SECURE_EXTRA_COORDINATES, noiseSigma: 0, minNeighbours: 2, releaseStats: false, exampleWeightCap: 0 };

/** A coordinator that speaks the real wire protocol (envelopes, msgpack, zod) and asks for whatever it likes. */
class HostileCoordinator {
  readonly network = new InProcessNetwork();
  readonly received: ClientMessage[] = [];
  private conn: Connection | null = null;
  private waiters: (() => void)[] = [];

  async listen(): Promise<void> {
    await this.network.server.listen({
      onConnection: (conn) => {
        this.conn = conn;
        conn.send(encodeMessage({ type: 'challenge', protocol: PROTOCOL_VERSION, nonce: nacl.randomBytes(32) }));
      },
      onMessage: (_conn, bytes) => {
        const env = decodeEnvelope(bytes);
        if (!env.ok) throw new Error(env.error);
        const msg = decodeClientMessage(env.message.body);
        if (!msg.ok) throw new Error(msg.error);
        this.received.push(msg.message);
        if (msg.message.type === 'hello') {
          this.send({ type: 'welcome', protocol: PROTOCOL_VERSION, clientId: msg.message.clientId, tasks: [{ task: TASK, featureCount: FEATURE_COUNT, parameterCount: parameters, round: 0, model }], abandonedRounds: [] });
        }
        for (const w of this.waiters.splice(0)) w();
      },
      onForeign: () => undefined,
      onDisconnect: () => undefined,
    });
  }

  send(msg: ServerMessageInput): void {
    this.conn!.send(encodeMessage(msg));
  }

  fit(roundId: string, overrides: { clipNorm?: number; secure?: SecureFit | null; clipBitBound?: number | null } = {}): void {
    this.send({
      type: 'fitRequest',
      roundId,
      task: TASK,
      round: 1,
      model,
      weights,
      config: { ...FIT, clipNorm: overrides.clipNorm ?? FIT.clipNorm },
      secure: overrides.secure ?? null,
      clipBitBound: overrides.clipBitBound ?? null,
      deadline: Date.now() + 60_000,
    });
  }

  async next(pred: (m: ClientMessage) => boolean): Promise<ClientMessage> {
    for (;;) {
      const hit = this.received.find(pred);
      if (hit) return hit;
      await new Promise<void>((r) => this.waiters.push(r));
    }
  }

  of(roundId: string): ClientMessage[] {
    return this.received.filter((m) => 'roundId' in m && m.roundId === roundId);
  }
}

let client: FederatedClient | null = null;
afterEach(() => {
  client?.stop();
  client = null;
});

async function join(policy?: PrivacyPolicy, signingKey = nacl.sign.keyPair().secretKey) {
  const coordinator = new HostileCoordinator();
  await coordinator.listen();
  const events: ClientEvent[] = [];
  // No trainer given: the SDK's default, the shared fast kernels (createDeviceTrainer).
  client = new FederatedClient({ transport: coordinator.network.connect(), clientId: 'athlete-7', data: new InMemoryDataSource(rows), tasks: [TASK], signingKey, ...(policy ? { privacyPolicy: policy } : {}) });
  client.on((e) => events.push(e));
  await client.start();
  const refusal = async (roundId: string) => {
    await coordinator.next((m) => m.type === 'decline' && m.roundId === roundId);
    return events.filter((e) => e.type === 'refused' && e.roundId === roundId).at(-1);
  };
  return { coordinator, events, refusal, signingKey };
}

const isPayload = (m: ClientMessage) => m.type === 'fitResult' || m.type === 'secagg' || m.type === 'evaluateResult';

describe('a hostile coordinator asks for more than the athlete agreed to', () => {
  it('control: a round within the policy is answered with an update', async () => {
    const { coordinator } = await join();
    coordinator.fit('ok-1');
    const result = await coordinator.next((m) => m.type === 'fitResult');
    expect(result).toMatchObject({ type: 'fitResult', roundId: 'ok-1' });
  });

  it('a clip bound raised above the policy is refused with a reason the athlete sees, and no update leaves', async () => {
    const { coordinator, refusal } = await join();
    coordinator.fit('clip-1', { clipNorm: 50 });
    expect(await refusal('clip-1')).toMatchObject({ code: 'clip-above-policy', reason: expect.stringMatching(/clip bound 50 is above the 20/) });
    expect(coordinator.of('clip-1').filter(isPayload)).toEqual([]);
    expect(coordinator.of('clip-1')).toEqual([{ type: 'decline', roundId: 'clip-1', reason: 'policy' }]);
  });

  it('a plaintext round under a secure-only policy is refused', async () => {
    const { coordinator, refusal } = await join(strictPrivacyPolicy());
    coordinator.fit('plain-1');
    expect(await refusal('plain-1')).toMatchObject({ code: 'plaintext-refused' });
    expect(coordinator.of('plain-1').filter(isPayload)).toEqual([]);
  });

  it('statistics outside the policy: example count and loss summed without noise under DP, a clip bit the policy keeps home', async () => {
    const { coordinator, refusal } = await join({ ...defaultPrivacyPolicy(), statistics: { ...defaultPrivacyPolicy().statistics, clipBit: 'never' } });
    coordinator.fit('stats-1', { secure: { ...SECURE, noiseSigma: 2 ** 20, releaseStats: true } });
    expect(await refusal('stats-1')).toMatchObject({ code: 'statistic-refused', reason: expect.stringMatching(/without noise under DP/) });
    coordinator.fit('stats-2', { clipBitBound: 1 });
    expect(await refusal('stats-2')).toMatchObject({ code: 'statistic-refused', reason: expect.stringMatching(/clipBit/) });
    expect([...coordinator.of('stats-1'), ...coordinator.of('stats-2')].filter(isPayload)).toEqual([]);
  });

  it('noise removed or lowered below the floor is refused', async () => {
    const { coordinator, refusal } = await join({ ...defaultPrivacyPolicy(), dp: { required: true, minNoiseMultiplier: 0.5 } });
    coordinator.fit('noise-1', { secure: SECURE });
    expect(await refusal('noise-1')).toMatchObject({ code: 'dp-required' });
    coordinator.fit('noise-2', { secure: { ...SECURE, noiseSigma: 1e-3 } });
    expect(await refusal('noise-2')).toMatchObject({ code: 'noise-below-policy' });
    expect([...coordinator.of('noise-1'), ...coordinator.of('noise-2')].filter(isPayload)).toEqual([]);
  });

  it('evaluation results in plaintext are refused under a secure-only policy', async () => {
    const { coordinator, events } = await join(strictPrivacyPolicy());
    coordinator.send({ type: 'evaluateRequest', roundId: 'eval-1', task: TASK, round: 1, model, weights, deadline: Date.now() + 60_000 });
    await expect.poll(() => events.find((e) => e.type === 'refused' && e.roundId === 'eval-1')).toMatchObject({ code: 'statistic-refused' });
    expect(coordinator.of('eval-1').filter(isPayload)).toEqual([]);
  });

  it('a replayed round id is refused even when its settings are now fine', async () => {
    const { coordinator, refusal } = await join();
    coordinator.fit('again', { clipNorm: 50 });
    expect(await refusal('again')).toMatchObject({ code: 'clip-above-policy' });
    coordinator.received.length = 0;
    coordinator.fit('again');
    expect(await refusal('again')).toMatchObject({ code: 'round-replayed' });
    expect(coordinator.of('again').filter(isPayload)).toEqual([]);
  });

  it('a weaker policy needs renewed consent: rounds stay refused until the athlete agrees', async () => {
    const { coordinator, events, refusal } = await join();
    const weaker = { ...defaultPrivacyPolicy(), maxClip: 100 };
    expect(client!.proposePolicy(weaker)).toEqual(['larger clip (100 > 20)']);
    expect(events.find((e) => e.type === 'consentNeeded')).toMatchObject({ terms: ['larger clip (100 > 20)'] });
    coordinator.fit('weak-1', { clipNorm: 50 });
    expect(await refusal('weak-1')).toMatchObject({ code: 'clip-above-policy' });
    client!.consent(weaker);
    coordinator.fit('weak-2', { clipNorm: 50 });
    expect(await coordinator.next((m) => m.type === 'fitResult' && m.roundId === 'weak-2')).toBeDefined();
  });

  it('over the wire: the Sybil roster (athlete + 2 coordinator-held peers) is refused inside the secure round, and the athlete is told why', async () => {
    const { coordinator, events, signingKey } = await join();
    const roundId = 'sybil-wire';
    coordinator.fit(roundId, { secure: SECURE });
    const advert = (await coordinator.next((m) => m.type === 'secagg' && m.roundId === roundId)) as Extract<ClientMessage, { type: 'secagg' }>;
    const sybilKeys = [nacl.sign.keyPair(), nacl.sign.keyPair()];
    // The coordinator knows the athlete's enrollment public key (registered at enrollment) and holds the Sybils' keys.
    const enrolled = new Map<string, Uint8Array>([
      ['athlete-7', nacl.sign.keyPair.fromSecretKey(signingKey).publicKey],
      ['sybil-1', sybilKeys[0]!.publicKey],
      ['sybil-2', sybilKeys[1]!.publicKey],
    ]);
    const server = new SecAggServer({ roundId, vectorLength: SECURE.vectorLength, identityOf: (id) => ({ enrollmentPublicKey: enrolled.get(id)! }) });
    await server.acceptAdvertiseKeys(advert.payload as unknown as AdvertiseKeysMessage);
    for (const [i, id] of ['sybil-1', 'sybil-2'].entries()) {
      await server.acceptAdvertiseKeys(await new SecAggClient({ roundId, clientId: id, signingKey: sybilKeys[i]!.secretKey }).advertiseKeys());
    }
    coordinator.send({ type: 'secagg', roundId, payload: (await server.roster()) as unknown as Record<string, unknown> });
    await expect.poll(() => events.find((e) => e.type === 'refused' && e.roundId === roundId)).toMatchObject({ code: 'roster-below-policy', reason: expect.stringMatching(/3 participants; our policy needs 5/) });
    // The athlete never shared keys, so there is nothing to unmask; it tells the coordinator only that it declined.
    expect(await coordinator.next((m) => m.type === 'decline' && m.roundId === roundId)).toEqual({ type: 'decline', roundId, reason: 'policy' });
    expect(coordinator.of(roundId).filter((m) => m.type === 'secagg')).toHaveLength(1);
  });
});
