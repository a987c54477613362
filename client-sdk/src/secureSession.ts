import { SECURE_EXTRA_COORDINATES, type SecureFit } from '@huddle/shared/protocol';
import { discreteGaussian, type RandomSource } from '@huddle/shared/privacy';
import {
  quantize,
  SecAggClient,
  SecAggError,
  type ConsistencyProofMessage,
  type RelayMessage,
  type RosterMessage,
  type SecAggClientPolicy,
  type SecAggMessage,
  type UnmaskRequestMessage,
} from '@huddle/shared/secagg';

/**
 * The client's integer input: the clipped update in fixed point (times its FedAvg weight when the
 * round weighs by examples), plus (distributed DP) its share of discrete Gaussian noise, then the
 * example count (or weight), train loss x 1000 and the clip bit.
 */
export function secureInput(update: Float32Array, numExamples: number, trainLoss: number, clipBit: 0 | 1 | null, enc: SecureFit, random?: RandomSource): Uint32Array {
  if (update.length + SECURE_EXTRA_COORDINATES !== enc.vectorLength) throw new Error(`secure vector needs ${enc.vectorLength} values, the update has ${update.length}`);
  const out = new Uint32Array(enc.vectorLength);
  const weight = enc.exampleWeightCap > 0 ? Math.min(numExamples, enc.exampleWeightCap) : 1;
  out.set(quantize(weight === 1 ? update : update.map((v) => v * weight), enc.scale, random));
  if (enc.noiseSigma > 0) {
    const noise = discreteGaussian(update.length, enc.noiseSigma, random);
    for (let i = 0; i < update.length; i++) out[i] = (out[i]! + noise[i]!) >>> 0;
  }
  const d = update.length;
  out[d] = enc.exampleWeightCap > 0 ? weight : enc.releaseStats ? Math.min(numExamples, 1_000_000) : 0;
  out[d + 1] = enc.releaseStats && Number.isFinite(trainLoss) ? Math.min(Math.round(trainLoss * 1000), 1_000_000) : 0;
  out[d + 2] = clipBit ?? 0;
  return out;
}

/** Drives one SecAggClient through the coordinator's broadcasts for one round. */
export class SecureSession {
  private readonly client: SecAggClient;

  constructor(
    readonly roundId: string,
    clientId: string,
    private readonly input: Uint32Array,
    policy: SecAggClientPolicy,
    signingKey: Uint8Array | undefined,
    private readonly send: (payload: Record<string, unknown>) => void,
  ) {
    this.client = new SecAggClient({ roundId, clientId, policy, ...(signingKey ? { signingKey } : {}) });
  }

  async start(): Promise<void> {
    this.send((await this.client.advertiseKeys()) as unknown as Record<string, unknown>);
  }

  /** Answers the coordinator's roster, relay, survivor set and consistency proof; throws SecAggError on any violation. */
  async onServer(payload: Record<string, unknown>): Promise<'continue' | 'done'> {
    const kind = payload.kind as SecAggMessage['kind'];
    switch (kind) {
      case 'secagg/roster':
        this.send((await this.client.shareKeys(payload as unknown as RosterMessage)) as unknown as Record<string, unknown>);
        return 'continue';
      case 'secagg/relay':
        this.send((await this.client.maskInput(this.input, payload as unknown as RelayMessage)) as unknown as Record<string, unknown>);
        return 'continue';
      case 'secagg/unmask-request':
        this.send((await this.client.checkSurvivors(payload as unknown as UnmaskRequestMessage)) as unknown as Record<string, unknown>);
        return 'continue';
      case 'secagg/consistency-proof':
        this.send((await this.client.unmask(payload as unknown as ConsistencyProofMessage)) as unknown as Record<string, unknown>);
        return 'done';
      case 'secagg/advertise-keys':
      case 'secagg/share-keys':
      case 'secagg/masked-input':
      case 'secagg/survivor-signature':
      case 'secagg/unmask-response':
        throw new SecAggError('INVALID_STATE', `${kind} is a client message`);
      default: {
        const never: never = kind;
        throw new SecAggError('INVALID_MESSAGE', `unexpected secure-aggregation step ${String(never).slice(0, 40)}`);
      }
    }
  }
}
