import { SocketIoClientTransport } from '@huddle/client-sdk';
import { encodeWeights } from '@huddle/shared/model';
import { decodeServerMessage, encodeEnvelope, encodeMessage, PROTOCOL_VERSION, SCORE_BINS, sealMessage, type ClientMessageInput, type ClientTransport } from '@huddle/shared/protocol';
import { isEntryPoint, stripDashDash } from '../cli/args.ts';

/**
 * The client side of `pnpm bench load`, run in its own process by load.ts: N lightweight protocol clients over the
 * SDK's socket.io transport (websocket only, loopback). Each answers the challenge with a hello, every fitRequest
 * with one fixed clipped update of the model's size and every evaluateRequest with a fixed summary; no training.
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
  /** Disconnects and failed connection attempts (each client reconnects and joins again). */
  closes: number;
  peakRssMb: number;
  timedOut: boolean;
}

interface LoadClient {
  id: string;
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

function parseArgs(argv: string[]): { url: string; clients: number; timeoutMs: number; connectBatch: number; idOffset: number } {
  const args = stripDashDash(argv);
  const get = (name: string, fallback?: string): string => {
    const i = args.indexOf(`--${name}`);
    const v = i >= 0 ? args[i + 1] : fallback;
    if (v === undefined) throw new Error(`--${name} is required`);
    return v;
  };
  const url = get('url');
  const host = new URL(url).hostname;
  if (host !== '127.0.0.1' && host !== 'localhost' && host !== '[::1]') throw new Error(`load clients only connect to loopback, not ${host}`);
  return { url, clients: Number.parseInt(get('clients'), 10), timeoutMs: Number.parseInt(get('timeout-ms', '300000'), 10), connectBatch: Number.parseInt(get('connect-batch', '100'), 10), idOffset: Number.parseInt(get('id-offset', '0'), 10) };
}

export async function main(argv: string[]): Promise<number> {
  const opts = parseArgs(argv);
  const out = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);
  const clients: LoadClient[] = [];
  let updateBytes: Uint8Array | null = null;
  let welcomed = 0;
  let roundEnds = 0;
  let counted = 0;
  let errors = 0;
  let closes = 0;
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  let finish!: (timedOut: boolean) => void;
  const finished = new Promise<boolean>((resolve) => (finish = resolve));
  const limit = setTimeout(() => finish(true), opts.timeoutMs);
  let welcomeWaiters: (() => void)[] = [];

  const send = (c: LoadClient, msg: ClientMessageInput): number => {
    if (!c.nonce) return 0;
    const bytes = encodeEnvelope(sealMessage(null, c.nonce, ++c.seq, encodeMessage(msg)));
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
    if (msg.type === 'fitRequest') c.inRound = true;
    if (c.inRound && raw instanceof Uint8Array) c.received += raw.byteLength;
    switch (msg.type) {
      case 'challenge':
        c.nonce = msg.nonce;
        c.seq = 0;
        c.helloBytes += send(c, { type: 'hello', protocol: PROTOCOL_VERSION, clientId: c.id, tasks: ['injury'], sdk: 'huddle-load/0.1' });
        return;
      case 'welcome': {
        if (!c.welcomed) {
          c.welcomed = true;
          welcomed++;
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
        return;
      }
      case 'evaluateRequest': {
        const positives = new Array<number>(SCORE_BINS).fill(0);
        const negatives = new Array<number>(SCORE_BINS).fill(0);
        positives[70] = 10;
        negatives[20] = 63;
        c.sent += send(c, { type: 'evaluateResult', roundId: msg.roundId, numExamples: 73, sumLoss: 20, summary: { kind: 'binary', positives, negatives } });
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
        return;
      case 'secagg':
        errors++;
        return;
    }
  };

  const connect = (i: number): LoadClient => {
    const c: LoadClient = { id: `load-${String(opts.idOffset + i + 1).padStart(5, '0')}`, transport: new SocketIoClientTransport(opts.url, { reconnection: true }), nonce: null, seq: 0, welcomed: false, inRound: false, roundEnded: false, sent: 0, received: 0, helloBytes: 0 };
    c.transport.open({ onOpen: () => undefined, onMessage: (b) => onMessage(c, b), onClose: () => void closes++ });
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
  out({ event: 'ready', welcomed });
  const timedOut = await finished;
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
    closes,
    peakRssMb: Math.round((peakRss / 2 ** 20) * 10) / 10,
    timedOut,
  };
  out(report);
  for (const c of clients) c.transport.close();
  return timedOut ? 1 : 0;
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
