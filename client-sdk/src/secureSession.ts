import {
  SecAggClient,
  SecAggError,
  type ConsistencyProofMessage,
  type RelayMessage,
  type RosterMessage,
  type SecAggClientPolicy,
  type SecAggMessage,
  type UnmaskRequestMessage,
} from '@huddle/shared/secagg';

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
