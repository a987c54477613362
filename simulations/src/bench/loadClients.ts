import { SocketIoClientTransport } from '@huddle/client-sdk';
import { encodeWeights } from '@huddle/shared/model';
import { decodeServerMessage, encodeSealedMessage, helloSigningBytes, messageSigningBytes, PROTOCOL_VERSION, SCORE_BINS, type ClientMessageInput, type ClientTransport } from '@huddle/shared/protocol';
import { createInterface } from 'node:readline';
import { isEntryPoint, stripDashDash } from '../cli/args.ts';
import { sha256Native } from '../../../coordinator/src/auth/ed25519.ts';
import { loadClientAddress, loadClientId, loadClientSigner } from './loadIdentity.ts';
import { cpuMs } from './loadTask.ts';
import { notePhase, type Phases } from './phaseLog.ts';

/**
 * The client side of `pnpm bench load`, run in its own process by load.ts: N lightweight protocol clients over the
 * SDK's socket.io transport (websocket only, loopback). Each answers the challenge with a hello, every fitRequest
 * with one fixed clipped update of the model's size and every evaluateRequest with a fixed summary; no training.
 * With `--security enrolled` each client signs as the enrolled device loadIdentity.ts derives for its index (the
 * bench enrolled it), and connects from that device's loopback address.
 *
 * Talks to its parent over stdout, one JSON object a line: {"event":"ready"} once every client was welcomed, then
 * {"event":"done", ...} with byte counts when every client saw a roundEnd (or the time limit passed). Exits by itself.
 */

export interface LoadClientsReport {
  event: 'done';
  clients: number;
  welcomed: number;
  roundEnds: number;
  counted: number;
  /** Mean over clients of protocol bytes (sealed msgpack envelopes) sent from the fitRequest on. */
  bytesSentPerClient: number;
  /** Mean over clients of protocol bytes received from the fitRequest on. */
  bytesReceivedPerClient: number;
  /** Mean over clients of the handshake bytes (hello) sent before the round. */
  helloBytesPerClient: number;
  errors: number;
  /** Protocol errors the coordinator sent, by code. */
  errorCodes: Record<string, number>;
  /** Disconnects and failed connection attempts (each client reconnects and joins again). */
  closes: number;
  /** Clients that started over with a new socket after the server closed or refused theirs before their welcome. */
  restarts: number;
  /** From the first connection attempt to the last client's welcome. */
  joinMs: number;
  peakRssMb: number;
  /** CPU time (user + system) from this process's last welcome to its report: the round's work, whatever else ran. */
  roundCpuMs: number;
  timedOut: boolean;
  /** When this process's clients received each request and sent each reply: [first, last] epoch ms. */
  phases: Phases;
}

interface LoadClient {
  id: string;
  sign: ((message: Uint8Array) => Uint8Array) | null;
  transport: ClientTransport;
  nonce: Uint8Array | null;
  seq: number;
  welcomed: boolean;
  inRound: boolean;
  roundEnded: boolean;
  sent: number;
  received: number;
  helloBytes: number;
}

function parseArgs(argv: string[]): { url: string | null; clients: number; timeoutMs: number; connectBatch: number; idOffset: number; enrolled: boolean } {
  const args = stripDashDash(argv);
  const get = (name: string, fallback?: string): string => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? args[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  // `--url -`: the URL comes later as {"url"} on stdin, so this process loads its modules while the nodes start.
  const url = get('url') === '-' ? null : loopbackUrl(get('url'));
  const security = get('security', 'open');
  if (security !== 'open' && security !== 'enrolled') throw new Error(`--security is open or enrolled, not ${security}`);
  return {
    url,
    clients: Number.parseInt(get('clients'), 10),
    timeoutMs: Number.parseInt(get('timeout-ms', '300000'), 10),
    connectBatch: Number.parseInt(get('connect-batch', '50'), 10),
    idOffset: Number.parseInt(get('id-offset', '0'), 10),
    enrolled: security === 'enrolled',
  };
}

function loopbackUrl(url: string): string {
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`load clients only connect to loopback, not ${host}`);
  return url;
}

async function urlFromStdin(): Promise<string> {
  const lines = createInterface({ input: process.stdin });
  for await (const line of lines) {
    const url = (JSON.parse(line) as { url?: unknown }).url;
    if (typeof url !== 'string') throw new Error('expected {"url": ...} on stdin');
    lines.close();
    return loopbackUrl(url);
  }
  throw new Error('stdin closed before a URL arrived');
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (parsed.url === null) process.stdout.write(`${JSON.stringify({ event: 'loaded' })}\n`);
  const opts = { ...parsed, url: parsed.url ?? (await urlFromStdin()) };
  const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const clients: LoadClient[] = [];
  let updateBytes: Uint8Array | null = null;
  let welcomed = 0;
  let roundEnds = 0;
  let counted = 0;
  let errors = 0;
  let closes = 0;
  let peakRss = process.memoryUsage.rss();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
  let lastWelcomeAt = 0;
  const errorCodes = new Map<string, number>();
  let lastError: string | null = null;
  // Progress on stderr (load.ts shows its tail when this process fails).
  const progress = setInterval(() => process.stderr.write(`${new Date().toISOString()} welcomed ${welcomed}/${opts.clients}, closes ${closes}, restarts ${restarts}, errors ${JSON.stringify(Object.fromEntries(errorCodes))}${lastError ? `, last: ${lastError.slice(0, 200)}` : ''}${lastClose ? `, last close: ${lastClose}` : ''}\n`), 5_000);
  progress.unref();
  let finish!: (timedOut: boolean) => void;
  let finishedAll = false;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  void finished.then(() => (finishedAll = true));
  const limit = setTimeout(() => finish(true), opts.timeoutMs);
  let welcomeWaiters: (() => void)[] = [];
  const phases: Phases = {};

  const send = (c: LoadClient, msg: ClientMessageInput): number => {
    if (!c.nonce) return 0;
    const nonce = c.nonce;
    const sign = c.sign;
    const seq = ++c.seq;
    const bytes = encodeSealedMessage(msg, (body) => (sign ? { body, seq, sig: sign(messageSigningBytes(nonce, seq, body, sha256Native)) } : { body, seq }));
    c.transport.send(bytes);
    return bytes.byteLength;
  };

  const onMessage = (c: LoadClient, raw: unknown): void => {
    const decoded = decodeServerMessage(raw, 64 * 1024 * 1024);
    if (!decoded.ok) {
      errors++;
      return;
    }
    const msg = decoded.message;
    if (msg.type === 'fitRequest' || msg.type === 'evaluateRequest' || msg.type === 'roundEnd') notePhase(phases, `${msg.type} received`);
    if (msg.type === 'fitRequest') c.inRound = true;
    if (c.inRound && raw instanceof Uint8Array) c.received += raw.byteLength;
    switch (msg.type) {
      case 'challenge':
        // Challenged again with the same nonce (the leader found the hello slow): the hello already sent still counts.
        if (c.nonce && Buffer.from(c.nonce).equals(Buffer.from(msg.nonce))) return;
        c.nonce = msg.nonce;
        c.seq = 0;
        c.helloBytes += send(c, { type: 'hello', protocol: PROTOCOL_VERSION, clientId: c.id, tasks: ['injury'], sdk: 'huddle-load/0.1', ...(c.sign ? { signature: c.sign(helloSigningBytes(msg.nonce, c.id, ['injury'])) } : {}) });
        return;
      case 'welcome': {
        if (!c.welcomed) {
          c.welcomed = true;
          welcomed++;
          lastWelcomeAt = Date.now();
          welcomeWaiters.forEach((w) => w());
          welcomeWaiters = [];
        }
        return;
      }
      case 'fitRequest': {
        // These clients never say they hold a model, so every fit request carries its weights.
        if (!msg.weights) throw new Error('fit request without weights');
        const params = msg.weights.byteLength / 4;
        if (!updateBytes || updateBytes.byteLength !== msg.weights.byteLength) {
          // A fixed small update (L2 norm 0.001 * sqrt(D), well inside the default clip of 5).
          updateBytes = encodeWeights(new Float32Array(params).fill(0.001));
        }
        c.sent += send(c, { type: 'fitResult', roundId: msg.roundId, numExamples: 365, update: updateBytes, trainLoss: 0.5, clipBit: msg.clipBitBound === null ? null : 1 });
        notePhase(phases, 'fitResult sent');
        return;
      }
      case 'evaluateRequest': {
        const positives = new Array<number>(SCORE_BINS).fill(0);
        const negatives = new Array<number>(SCORE_BINS).fill(0);
        positives[70] = 10;
        negatives[20] = 63;
        c.sent += send(c, { type: 'evaluateResult', roundId: msg.roundId, numExamples: 73, sumLoss: 20, summary: { kind: 'binary', positives, negatives } });
        notePhase(phases, 'evaluateResult sent');
        return;
      }
      case 'roundEnd':
        if (!c.roundEnded) {
          c.roundEnded = true;
          roundEnds++;
          if (msg.counted) counted++;
          if (roundEnds === clients.length) finish(false);
        }
        return;
      case 'error':
        errors++;
        errorCodes.set(msg.code, (errorCodes.get(msg.code) ?? 0) + 1);
        lastError = `${msg.code}: ${msg.message}`;
        return;
      case 'secagg':
        errors++;
        return;
    }
  };

  let lastClose: string | null = null;
  let restarts = 0;
  const open = (c: LoadClient, k: number): void => {
    const transport = new SocketIoClientTransport(opts.url, { reconnection: true, ...(opts.enrolled ? { localAddress: loadClientAddress(k) } : {}) });
    c.transport = transport;
    c.nonce = null;
    transport.open({
      onOpen: () => undefined,
      onMessage: (b) => onMessage(c, b),
      onClose: (reason) => {
        closes++;
        lastClose = reason;
        // socket.io does not retry a connection the server closed or refused: a client not yet in starts over
        // after a pause, as a device would on its next sync.
        if (c.welcomed || c.transport !== transport) return;
        // Transport failures socket.io retries by itself; a server's close or refusal it does not.
        if (reason !== 'io server disconnect' && !(reason.startsWith('connect error:') && !/websocket error|timeout|poll error/.test(reason))) return;
        setTimeout(() => {
          if (c.welcomed || c.transport !== transport || finishedAll) return;
          transport.close();
          restarts++;
          open(c, k);
        }, 3_000 + Math.random() * 2_000).unref();
      },
    });
  };
  const connect = (i: number): LoadClient => {
    const k = opts.idOffset + i;
    const c: LoadClient = { id: loadClientId(k), sign: opts.enrolled ? loadClientSigner(k) : null, transport: null as unknown as ClientTransport, nonce: null, seq: 0, welcomed: false, inRound: false, roundEnded: false, sent: 0, received: 0, helloBytes: 0 };
    open(c, k);
    return c;
  };

  const startedAt = Date.now();
  // Connect in batches so the coordinator's accept queue and the handshake never see all N at once.
  for (let i = 0; i < opts.clients; i += opts.connectBatch) {
    const batch = Math.min(opts.connectBatch, opts.clients - i);
    for (let j = 0; j < batch; j++) clients.push(connect(i + j));
    const target = i + batch;
    while (welcomed < target) {
      if (Date.now() > startedAt + opts.timeoutMs) throw new Error(`only ${welcomed} of ${target} clients were welcomed within ${opts.timeoutMs} ms (${closes} disconnects or failed connection attempts)`);
      await new Promise<void>((resolve) => {
        welcomeWaiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }
  const joinMs = lastWelcomeAt - startedAt;
  out({ event: 'ready', welcomed, joinMs });
  const cpuAtReady = process.cpuUsage();
  const timedOut = await finished;
  const roundCpuMs = cpuMs(process.cpuUsage(cpuAtReady));
  clearTimeout(limit);
  clearInterval(sampler);
  const mean = (f: (c: LoadClient) => number) => clients.reduce((s, c) => s + f(c), 0) / Math.max(1, clients.length);
  const report: LoadClientsReport = {
    event: 'done',
    clients: clients.length,
    welcomed,
    roundEnds,
    counted,
    bytesSentPerClient: Math.round(mean((c) => c.sent)),
    bytesReceivedPerClient: Math.round(mean((c) => c.received)),
    helloBytesPerClient: Math.round(mean((c) => c.helloBytes)),
    errors,
    errorCodes: Object.fromEntries(errorCodes),
    closes,
    joinMs,
    restarts,
    peakRssMb: Math.round((peakRss / 2 ** 20) * 10) / 10,
    timedOut,
    phases,
    roundCpuMs,
  };
  out(report);
  for (const c of clients) c.transport.close();
  return timedOut ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) {
  // Exit (not die) on the bench's SIGTERM, so a CPU profile asked for with HUDDLE_BENCH_PROFILE is written.
  process.once('SIGTERM', () => process.exit(143));
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
