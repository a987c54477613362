import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { decode, encode } from '@msgpack/msgpack';
import { DEFAULT_MAX_MESSAGE_BYTES, encodeEnvelope, encodeMessage, PROTOCOL_EVENT, PROTOCOL_VERSION, sealMessage, SCORE_BINS, type ClientTransport, type ServerMessage } from '@huddle/shared/protocol';
import { Prng } from '@huddle/shared/random';
import { startTestFederation, type TestFederation } from '../helpers/federation.ts';
import { RawClient } from '../helpers/rawClient.ts';

/**
 * Hostile clients flood the coordinator with random and mutated protocol traffic while honest FederatedClients run a
 * round. Everything random comes from one seeded Prng: set HUDDLE_FUZZ_SEED to replay a failure.
 */
const SEED = Number(process.env.HUDDLE_FUZZ_SEED ?? 20_251_121);
/** Hostile messages in the plain round; raise it (HUDDLE_FUZZ_MESSAGES) for a longer soak. */
const MESSAGES = Math.max(10_000, Number(process.env.HUDDLE_FUZZ_MESSAGES ?? 10_000));
// Five: the clients' default privacy policy reveals no secure sum over fewer participants.
const HONEST = ['client-1', 'client-2', 'client-3', 'client-4', 'client-5'];
const TASK = 'readiness' as const;

/** A full GC before each memory reading, so the comparison is of retained memory, not of garbage not yet collected. */
setFlagsFromString('--expose_gc');
const gc = runInNewContext('gc') as () => void;

type Fit = Extract<ServerMessage, { type: 'fitRequest' }>;

/**
 * One hostile connection. `clean` ones keep their envelope seq strictly increasing (mutations stay inside fresh,
 * correctly sequenced envelopes, and replays resend old bytes), so they stay able to answer the coordinator;
 * the others may send anything, including envelopes that push seq to its maximum.
 */
interface Hostile {
  name: string;
  raw: RawClient;
  clean: boolean;
  /** Said hello: only these may send a well-formed second hello (refused); the others must never join. */
  joined: boolean;
  /** Sealed envelopes sent so far, for replays. */
  history: Uint8Array[];
  sent: number;
}

const SECAGG_KINDS = ['secagg/advertise-keys', 'secagg/share-keys', 'secagg/masked-input', 'secagg/unmask-response', 'secagg/roster', 'secagg/relay', 'secagg/unmask-request', 'secagg/bogus', '', 'SECAGG/ADVERTISE-KEYS'];

function bytes(rng: Prng, n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.nextUint32() & 0xff;
  return out;
}

function flipBits(rng: Prng, src: Uint8Array, flips: number): Uint8Array {
  const out = src.slice();
  for (let i = 0; i < flips && out.length > 0; i++) {
    const at = rng.int(out.length);
    out[at] = out[at]! ^ (1 << rng.int(8));
  }
  return out;
}

/** msgpack bytes nested `depth` deep: fixarrays of one element, or fixmaps {"a": ...}. */
function deeplyNested(depth: number, maps: boolean): Uint8Array {
  const unit = maps ? [0x81, 0xa1, 0x61] : [0x91];
  const out = new Uint8Array(depth * unit.length + 1);
  for (let i = 0; i < depth; i++) out.set(unit, i * unit.length);
  out[out.length - 1] = 0xc0;
  return out;
}

function f32(values: ArrayLike<number>): Uint8Array {
  return new Uint8Array(Float32Array.from(values).buffer);
}

/** A fitResult that must never be accepted: wrong length, or right length with NaN/Infinity, or over the clip bound. */
function badUpdate(rng: Prng, size: number): Uint8Array {
  const n = size / 4;
  switch (rng.int(6)) {
    case 0:
      return new Uint8Array(0);
    case 1:
      return new Uint8Array(Math.max(0, size - 4 * (1 + rng.int(8))));
    case 2:
      return new Uint8Array(size + 4 * (1 + rng.int(8)));
    case 3:
      return new Uint8Array(size + 1 + rng.int(3));
    case 4: {
      const v = new Float32Array(n);
      v[rng.int(n)] = rng.bernoulli(0.5) ? Number.NaN : Number.POSITIVE_INFINITY;
      return new Uint8Array(v.buffer);
    }
    default:
      return f32(new Float32Array(n).fill(100 + rng.next()));
  }
}

function wrongType(rng: Prng): unknown {
  const options: unknown[] = [null, true, -1, 1.5, 'ten', [], {}, [1, 2, 3], { nested: { deeper: [null] } }, new Uint8Array(3), Number.MAX_VALUE, -0, 2 ** 63];
  return options[rng.int(options.length)];
}

/** Envelope seqs the schema refuses (a clean client must never move its seq past its own counter). */
const INVALID_SEQS = [1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, Number.POSITIVE_INFINITY, Number.NaN, -(2 ** 53), -1, 0.5];

function hugeNumber(rng: Prng): number {
  const options = [1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN, -(2 ** 53), 4_294_967_296, Number.MIN_VALUE];
  return options[rng.int(options.length)]!;
}

/** Raw clients never say they hold a model, so every fit request carries its weights. */
function weightBytes(fit: Fit): number {
  if (!fit.weights) throw new Error('a raw client was sent a fit request without weights');
  return fit.weights.byteLength;
}

/** A body that is a protocol message in name only: some field is wrong, missing, huge, NaN or misplaced. */
function badBody(rng: Prng, fit: Fit, selfId: string, joined: boolean): Record<string, unknown> {
  const roundId = rng.bernoulli(0.7) ? fit.roundId : rng.bernoulli(0.5) ? `${TASK}-${rng.int(1000)}-deadbeef` : 'no spaces allowed!';
  const size = weightBytes(fit);
  switch (rng.int(12)) {
    case 0:
      return { type: 'fitResult', roundId, numExamples: 10, update: badUpdate(rng, size), trainLoss: 0.1, clipBit: null };
    case 1:
      return { type: 'fitResult', roundId, numExamples: hugeNumber(rng), update: badUpdate(rng, size), trainLoss: rng.bernoulli(0.5) ? Number.NaN : hugeNumber(rng), clipBit: null };
    case 2:
      return { type: 'fitResult', roundId, numExamples: wrongType(rng), update: wrongType(rng), trainLoss: wrongType(rng), clipBit: wrongType(rng) };
    case 3: {
      const payload: Record<string, unknown> = { kind: SECAGG_KINDS[rng.int(SECAGG_KINDS.length)], roundId, clientId: rng.bernoulli(0.8) ? selfId : 'client-1' };
      if (rng.bernoulli(0.5)) payload.encPublicKey = bytes(rng, rng.bernoulli(0.5) ? 31 : 33);
      if (rng.bernoulli(0.5)) payload.masked = bytes(rng, rng.int(64));
      if (rng.bernoulli(0.3)) payload.shares = [{ roundId, from: selfId, to: 'client-2', nonce: bytes(rng, 24), box: bytes(rng, 2000) }];
      if (rng.bernoulli(0.3)) payload.selfMaskShares = wrongType(rng);
      return { type: 'secagg', roundId, payload: rng.bernoulli(0.9) ? payload : wrongType(rng) };
    }
    case 4:
      return { type: 'evaluateResult', roundId, numExamples: hugeNumber(rng), sumLoss: Number.NaN, summary: { kind: 'binary', positives: [1], negatives: wrongType(rng) } };
    case 5:
      return { type: rng.bernoulli(0.5) ? 'teleport' : wrongType(rng), roundId, payload: wrongType(rng) };
    case 6:
      // A second, well-formed hello on a joined connection is refused as unexpected.
      if (joined && rng.bernoulli(0.3)) return { type: 'hello', protocol: PROTOCOL_VERSION, clientId: selfId, tasks: [], sdk: 'fuzz' };
      return rng.bernoulli(0.5)
        ? { type: 'hello', protocol: PROTOCOL_VERSION + 1 + rng.int(100), clientId: selfId, tasks: [], sdk: 'fuzz' }
        : { type: 'hello', protocol: wrongType(rng), clientId: `hostile ${rng.int(100)}`, tasks: ['readiness', 'nope'], sdk: 'x'.repeat(65) };
    case 7:
      return { type: 'setTasks', tasks: rng.bernoulli(0.5) ? ['bogus'] : wrongType(rng) };
    case 8:
      return { type: 'decline', roundId: 'not-this-round', reason: rng.bernoulli(0.5) ? 'bored' : wrongType(rng) };
    case 9:
      return { type: 'fitResult', roundId: wrongType(rng), numExamples: 1, update: new Uint8Array(size), trainLoss: 0, clipBit: 2 };
    case 10:
      return { type: 'evaluateResult', roundId, numExamples: 5, sumLoss: 1, summary: { kind: 'binary', positives: new Array(SCORE_BINS).fill(1), negatives: new Array(SCORE_BINS).fill(1) } };
    default:
      return { ...(rng.bernoulli(0.5) ? { type: 'fitResult' } : {}), [`k${rng.int(1e6)}`]: wrongType(rng), roundId };
  }
}

/** Sends one random hostile message from `h`; returns what it was, for the tally. */
function fuzzOne(rng: Prng, h: Hostile, fit: Fit, selfId: string): string {
  const sealed = (body: Uint8Array, seq = ++h.raw.seq): Uint8Array => {
    const env = encodeEnvelope(sealMessage(null, h.raw.nonce, seq, body));
    if (env.byteLength <= 16 * 1024) h.history.push(env);
    if (h.history.length > 64) h.history.shift();
    return env;
  };
  const validLooking = () => encodeMessage(badBody(rng, fit, selfId, h.joined) as never);
  const roll = rng.int(16);
  switch (roll) {
    case 0:
      h.raw.sendRaw(bytes(rng, rng.int(512)));
      return 'random bytes';
    case 1: {
      const env = sealed(validLooking());
      h.raw.sendRaw(env.subarray(0, rng.int(env.length)));
      return 'truncated envelope';
    }
    case 2: {
      const body = validLooking();
      if (h.clean) {
        h.raw.sendRaw(sealed(flipBits(rng, body, 1 + rng.int(8))));
        return 'bit-flipped body';
      }
      h.raw.sendRaw(flipBits(rng, sealed(body), 1 + rng.int(8)));
      return 'bit-flipped envelope';
    }
    case 3: {
      const body = validLooking();
      h.raw.sendRaw(sealed(body.subarray(0, rng.int(body.length))));
      return 'truncated body';
    }
    case 4:
    case 5:
    case 6:
      h.raw.sendRaw(sealed(validLooking()));
      return 'malformed message';
    case 7:
      if (h.history.length > 0) {
        h.raw.sendRaw(h.history[rng.int(h.history.length)]!);
        return 'replay';
      }
      h.raw.sendRaw(sealed(validLooking()));
      return 'malformed message';
    case 8:
      h.raw.socket.emit(rng.bernoulli(0.5) ? `evt-${rng.int(1e9).toString(36)}` : 'admin:reset', wrongType(rng));
      return 'unknown event';
    case 9: {
      const values: unknown[] = ['not binary', 12345, { body: 'x' }, null, [new Uint8Array(4)], true];
      if (rng.bernoulli(0.3)) h.raw.socket.emit(PROTOCOL_EVENT, bytes(rng, 8), bytes(rng, 8));
      else h.raw.sendRaw(values[rng.int(values.length)]);
      return 'not binary';
    }
    case 10: {
      const envelopes: unknown[] = [
        { body: 'string', seq: h.raw.seq + 1 },
        { body: validLooking(), seq: -1 },
        { body: validLooking(), seq: 1.5 },
        { body: validLooking(), seq: Number.NaN },
        { body: validLooking(), seq: '7' },
        { body: validLooking() },
        [validLooking(), h.raw.seq + 1],
        { body: validLooking(), seq: h.raw.seq + 1, sig: 'nope' },
      ];
      h.raw.sendRaw(encode(envelopes[rng.int(envelopes.length)]));
      return 'wrong envelope types';
    }
    case 11:
      if (!h.clean) {
        // Valid envelopes whose seq jumps far ahead (up to the maximum): later ones on this connection are replays.
        const seq = rng.bernoulli(0.2) ? Number.MAX_SAFE_INTEGER : h.raw.seq + 1 + rng.int(1e9);
        h.raw.seq = seq;
        h.raw.sendRaw(sealed(validLooking(), seq));
        return 'huge seq';
      }
      h.raw.sendRaw(encode({ body: validLooking(), seq: INVALID_SEQS[rng.int(INVALID_SEQS.length)] }));
      return 'huge seq (invalid)';
    case 12:
      h.raw.sendRaw(rng.bernoulli(0.5) ? deeplyNested(5_000 + rng.int(20_000), rng.bernoulli(0.5)) : sealed(deeplyNested(5_000 + rng.int(20_000), rng.bernoulli(0.5))));
      return 'deeply nested';
    case 13: {
      // An envelope whose body holds a deeply nested secagg payload.
      const inner = deeplyNested(5_000, true);
      const head = encodeMessage({ type: 'secagg', roundId: fit.roundId, payload: { kind: 'secagg/masked-input', clientId: selfId, masked: new Uint8Array(0) } });
      h.raw.sendRaw(sealed(rng.bernoulli(0.5) ? Uint8Array.from([...head.subarray(0, head.length - 1), ...inner]) : inner));
      return 'deeply nested body';
    }
    default:
      h.raw.sendRaw(sealed(validLooking()));
      return 'malformed message';
  }
}

/** Waits until no new message reached any of the clients for `quietMs`. */
async function quiet(clients: readonly RawClient[], quietMs = 400, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  let last = -1;
  let since = Date.now();
  while (Date.now() < end) {
    const n = clients.reduce((s, c) => s + c.received.length, 0);
    if (n !== last) {
      last = n;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A gate that opens once; transports wrapped by `heldUntil` queue their sends until then. */
function gate(): { open(): void; opened: Promise<void> } {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

/**
 * Holds an honest client's messages from its first message of `type` on until `opened` resolves (order kept), so the
 * round's collection phase stays open while the hostiles flood: local training here is faster than the flood.
 */
function heldUntil(inner: ClientTransport, type: string, opened: Promise<void>): ClientTransport {
  let holding = false;
  let released = false;
  const queue: Uint8Array[] = [];
  void opened.then(() => {
    released = true;
    for (const b of queue.splice(0)) inner.send(b);
  });
  return {
    open: (h) => inner.open(h),
    send: (bytes) => {
      if (!released && !holding) {
        const body = decode((decode(bytes) as { body: Uint8Array }).body) as { type?: string };
        holding = body.type === type;
      }
      if (holding && !released) queue.push(bytes);
      else inner.send(bytes);
    },
    close: () => inner.close(),
  };
}

/** Selected hostiles answer each coordinator request with something refused, so no phase waits for them. */
function answerBadly(h: Hostile, id: string, rng: Prng): void {
  h.raw.socket.on(PROTOCOL_EVENT, () => {
    const m = h.raw.received[h.raw.received.length - 1];
    if (!m) return;
    if (m.type === 'evaluateRequest') {
      const positives = new Array<number>(SCORE_BINS).fill(0);
      positives[0] = 3;
      h.raw.sendMessage({ type: 'evaluateResult', roundId: m.roundId, numExamples: 2, sumLoss: 1, summary: { kind: 'binary', positives, negatives: new Array<number>(SCORE_BINS).fill(0) } });
    } else if (m.type === 'secagg') {
      h.raw.sendMessage({ type: 'secagg', roundId: m.roundId, payload: { kind: SECAGG_KINDS[rng.int(SECAGG_KINDS.length)], roundId: m.roundId, clientId: id, masked: bytes(rng, 7) } });
    }
  });
}

describe('hostile clients fuzzing the protocol during a round', () => {
  let fed: TestFederation | null = null;
  const raws: RawClient[] = [];
  afterEach(async () => {
    raws.splice(0).forEach((r) => r.close());
    await fed?.close();
    fed = null;
  });

  async function hostiles(url: string, rng: Prng): Promise<{ all: Hostile[]; selected: Hostile[] }> {
    const make = (name: string, clean: boolean, joined = true): Hostile => {
      const raw = new RawClient(url);
      raws.push(raw);
      return { name, raw, clean, joined, history: [], sent: 0 };
    };
    // Two that opt in to the task and get selected, one joined but opted out, one that never says hello.
    const selected = [make('hostile-1', true), make('hostile-2', true)];
    const optedOut = make('hostile-3', false);
    const anonymous = make('hostile-4', false, false);
    for (const h of selected) await h.raw.hello(h.name, [TASK]);
    await optedOut.raw.hello(optedOut.name, []);
    await anonymous.raw.next((m) => m.type === 'challenge');
    anonymous.raw.nonce = (anonymous.raw.received.find((m) => m.type === 'challenge') as Extract<ServerMessage, { type: 'challenge' }>).nonce;
    for (const h of selected) answerBadly(h, h.name, rng.fork(h.name));
    return { all: [...selected, optedOut, anonymous], selected };
  }

  async function flood(rng: Prng, all: Hostile[], fit: Fit, count: number, at?: { after: number; run(): void }): Promise<Map<string, number>> {
    const tally = new Map<string, number>();
    for (let i = 0; i < count; i++) {
      if (at && i === at.after) at.run();
      const h = all[rng.int(all.length)]!;
      const what = fuzzOne(rng, h, fit, h.name);
      h.sent++;
      tally.set(what, (tally.get(what) ?? 0) + 1);
      // Let the coordinator, the honest clients and the sockets breathe: all share this process.
      if (i % 50 === 49) await new Promise((r) => setImmediate(r));
      if (i % 1000 === 999) await new Promise((r) => setTimeout(r, 10));
    }
    return tally;
  }

  function expectUp(record: { status: string; reported: string[] }, all: Hostile[]): void {
    expect(record.status).toBe('completed');
    expect([...record.reported].sort()).toEqual(HONEST);
    for (const h of all) expect(record.reported).not.toContain(h.name);
  }

  it('plain round: 10,000+ random and mutated messages; coordinator up, honest round completes, hostiles refused', async () => {
    const t0 = Date.now();
    const fitGate = gate();
    fed = await startTestFederation({
      clients: HONEST.length,
      tasks: [TASK],
      wrap: (_i, t) => heldUntil(t, 'fitResult', fitGate.opened),
      // hostile-4 never joins yet must be answered for the whole flood, longer than the 10 s hello timeout on a loaded machine.
      helloTimeoutMs: 300_000,
      // Selects ceil(4 x 1.5) = 6: the four honest clients and both opted-in hostiles; waits for 4 updates.
      config: { clientsPerRound: HONEST.length, minClients: HONEST.length, overSelection: 1.5, roundTimeoutMs: 45_000, evaluateTimeoutMs: 20_000 },
    });
    const rng = new Prng(SEED);
    const { all, selected } = await hostiles(fed.running.url, rng.fork('hostiles'));
    gc();
    const memBefore = process.memoryUsage();
    const rssBefore = memBefore.rss;
    let rssPeak = rssBefore;
    const sampler = setInterval(() => (rssPeak = Math.max(rssPeak, process.memoryUsage().rss)), 50);

    const roundPromise = fed.running.coordinator.runRound(TASK);
    const fit = (await selected[0]!.raw.next((m) => m.type === 'fitRequest')) as Fit;
    expect(fit.type).toBe('fitRequest');

    // One of each kind of refusal first, so the reply-code check below does not depend on the seed.
    const [sel, , optedOut, anonymous] = all as [Hostile, Hostile, Hostile, Hostile];
    anonymous.raw.sendMessage({ type: 'fitResult', roundId: fit.roundId, numExamples: 1, update: new Uint8Array(weightBytes(fit)), trainLoss: 0, clipBit: null });
    sel.raw.sendMessage({ type: 'hello', protocol: PROTOCOL_VERSION, clientId: sel.name, tasks: [TASK], sdk: 'fuzz' });
    sel.raw.sendMessage({ type: 'fitResult', roundId: fit.roundId, numExamples: 1, update: new Uint8Array(weightBytes(fit) + 4), trainLoss: 0, clipBit: null });
    sel.raw.sendRaw(encodeEnvelope(sealMessage(null, sel.raw.nonce, sel.raw.seq, encodeMessage({ type: 'setTasks', tasks: [TASK] }))));
    optedOut.raw.sendMessage({ type: 'hello', protocol: PROTOCOL_VERSION + 1, clientId: optedOut.name, tasks: [], sdk: 'fuzz' });
    optedOut.raw.sendMessage({ type: 'fitResult', roundId: `${TASK}-999-deadbeef`, numExamples: 1, update: new Uint8Array(4), trainLoss: 0, clipBit: null });
    optedOut.raw.socket.emit('admin:reset', { please: true });
    optedOut.raw.sendRaw(Uint8Array.of(0xc1));
    anonymous.sent += 1;
    sel.sent += 3;
    optedOut.sent += 4;

    // Just over the size limit: refused as too-large without closing the connection.
    const overhead = encodeEnvelope(sealMessage(null, all[2]!.raw.nonce, 1, new Uint8Array(70_000))).byteLength - 70_000;
    const over = encodeEnvelope(sealMessage(null, all[2]!.raw.nonce, 1, new Uint8Array(DEFAULT_MAX_MESSAGE_BYTES + 8 - overhead)));
    expect(over.byteLength).toBe(DEFAULT_MAX_MESSAGE_BYTES + 8);
    for (let i = 0; i < 3; i++) all[2]!.raw.sendRaw(over);
    all[2]!.sent += 3;
    // Far over socket.io's buffer limit: the transport drops that connection; nothing else is affected.
    const brute = new RawClient(fed.running.url);
    raws.push(brute);
    await brute.next((m) => m.type === 'challenge');
    const bruteGone = new Promise<string>((resolve) => brute.socket.once('disconnect', (reason) => resolve(String(reason))));
    brute.sendRaw(new Uint8Array(DEFAULT_MAX_MESSAGE_BYTES + 64 * 1024));

    // The honest updates go out after 60% of the flood: the rest overlaps aggregation and evaluation.
    const tally = await flood(rng.fork('flood'), all, fit, MESSAGES, { after: Math.floor(MESSAGES * 0.6), run: () => fitGate.open() });
    const record = await roundPromise;
    await quiet(all.map((h) => h.raw));
    clearInterval(sampler);
    gc();
    const memAfter = process.memoryUsage();
    const rssAfter = memAfter.rss;
    const heapGrowthMb = (memAfter.heapUsed + memAfter.external - memBefore.heapUsed - memBefore.external) / 2 ** 20;

    expectUp(record, all);
    const health = await fetch(`${fed.running.url}/health`);
    expect(health.status).toBe(200);
    expect(await bruteGone).toMatch(/transport close|transport error|io server disconnect/);

    const sent = all.reduce((s, h) => s + h.sent, 0);
    expect(sent).toBeGreaterThanOrEqual(MESSAGES);
    const codes = new Map<string, number>();
    for (const h of all) {
      const errors = h.raw.errors();
      expect(errors.length, `${h.name} got no error replies`).toBeGreaterThan(h.sent * 0.5);
      for (const e of errors) codes.set(e.code, (codes.get(e.code) ?? 0) + 1);
    }
    const growthMb = (rssAfter - rssBefore) / 2 ** 20;
    console.log(
      `fuzz (seed ${SEED}): ${sent} hostile messages ${JSON.stringify(Object.fromEntries(tally))}; error replies ${JSON.stringify(Object.fromEntries(codes))}; ` +
        `RSS ${Math.round(rssBefore / 2 ** 20)} -> ${Math.round(rssAfter / 2 ** 20)} MB (peak ${Math.round(rssPeak / 2 ** 20)}), heap+external ${heapGrowthMb >= 0 ? '+' : ''}${heapGrowthMb.toFixed(1)} MB; ${Date.now() - t0} ms`,
    );
    expect([...codes.keys()]).toEqual(expect.arrayContaining(['malformed', 'too-large', 'unknown-event', 'not-ready', 'unauthorized', 'bad-update', 'unexpected', 'protocol-version', 'stale-round']));
    // No hostile received a fitRequest it could have answered validly, except the two selected ones for this round.
    expect(all[3]!.raw.received.some((m) => m.type === 'fitRequest' || m.type === 'welcome')).toBe(false);
    expect(growthMb).toBeLessThan(300);
    // Retained JS memory (after a full GC) stays small: nothing of the flood is kept.
    expect(heapGrowthMb).toBeLessThan(150);
    expect((rssPeak - rssBefore) / 2 ** 20).toBeLessThan(600);

    // The same federation runs another round afterwards.
    const next = await fed.running.coordinator.runRound(TASK);
    expectUp(next, all);
  });

  it('secure round: hostiles answer every SecAgg step with payloads of the wrong kind or shape', async () => {
    const keysGate = gate();
    fed = await startTestFederation({
      clients: HONEST.length,
      tasks: [TASK],
      wrap: (_i, t) => heldUntil(t, 'secagg', keysGate.opened),
      config: {
        clientsPerRound: HONEST.length,
        minClients: 3,
        overSelection: 1.5,
        roundTimeoutMs: 45_000,
        evaluateTimeoutMs: 20_000,
        secureAggregation: { enabled: true, neighbours: null, threshold: null, phaseTimeoutMs: 15_000 },
      },
    });
    const rng = new Prng(SEED + 1);
    const { all, selected } = await hostiles(fed.running.url, rng.fork('hostiles'));
    gc();
    const rssBefore = process.memoryUsage().rss;
    const roundPromise = fed.running.coordinator.runRound(TASK);
    const fit = (await selected[0]!.raw.next((m) => m.type === 'fitRequest')) as Fit;
    expect(fit.secure).not.toBeNull();
    const floodRng = rng.fork('flood');
    let done = false;
    void roundPromise.finally(() => (done = true));
    let sent = 0;
    // Keep flooding, secagg-heavy, for the whole round (at least 2,000 messages).
    while (!done || sent < 2_000) {
      if (sent === 1_000) keysGate.open();
      const h = all[floodRng.int(all.length)]!;
      if (floodRng.bernoulli(0.5)) {
        h.raw.sendMessage({ type: 'secagg', roundId: fit.roundId, payload: { kind: SECAGG_KINDS[floodRng.int(SECAGG_KINDS.length)], roundId: fit.roundId, clientId: floodRng.bernoulli(0.8) ? h.name : 'client-1', encPublicKey: bytes(floodRng, 31), maskPublicKey: bytes(floodRng, 32) } });
      } else fuzzOne(floodRng, h, fit, h.name);
      h.sent++;
      if (++sent % 50 === 0) await new Promise((r) => setTimeout(r, 1));
      if (sent > 50_000) break;
    }
    const record = await roundPromise;
    await quiet(all.map((h) => h.raw));
    expect(record.secureAggregation).toBe(true);
    expectUp(record, all);
    expect((await fetch(`${fed.running.url}/health`)).status).toBe(200);
    for (const h of all) expect(h.raw.errors().length, `${h.name} got no error replies`).toBeGreaterThan(0);
    expect(selected.flatMap((h) => h.raw.errors()).some((e) => /secure aggregation message refused/.test(e.message))).toBe(true);
    gc();
    expect((process.memoryUsage().rss - rssBefore) / 2 ** 20).toBeLessThan(300);
    console.log(`secure fuzz (seed ${SEED + 1}): ${sent} hostile messages during the round; reported ${record.reported.join(', ')}`);
  });
});
