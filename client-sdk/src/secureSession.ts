import type { SecureFit } from '@huddle/shared/protocol';
import { SecAggClient, type RelayMessage, type RosterMessage, type UnmaskRequestMessage } from '@huddle/shared/secagg';

/** Drives one SecAggClient through the coordinator's broadcasts for one round. */
export class SecureSession {
  private readonly client: SecAggClient;

  constructor(
    readonly roundId: string,
    clientId: string,
    private readonly input: Uint32Array,
    enc: SecureFit,
    private readonly send: (payload: Record<string, unknown>) => void,
  ) {
    this.client = new SecAggClient({ roundId, clientId, policy: { minNeighbours: enc.minNeighbours, vectorLength: enc.vectorLength } });
  }

  async start(): Promise<void> {
    this.send((await this.client.advertiseKeys()) as unknown as Record<string, unknown>);
  }

  /** Answers the coordinator's roster, relay and unmask request; throws SecAggError on any violation. */
  async onServer(payload: Record<string, unknown>): Promise<'continue' | 'done'> {
    switch (payload.kind) {
      case 'secagg/roster':
        this.send((await this.client.shareKeys(payload as unknown as RosterMessage)) as unknown as Record<string, unknown>);
        return 'continue';
      case 'secagg/relay':
        this.send((await this.client.maskInput(this.input, payload as unknown as RelayMessage)) as unknown as Record<string, unknown>);
        return 'continue';
      case 'secagg/unmask-request':
        this.send((await this.client.unmask(payload as unknown as UnmaskRequestMessage)) as unknown as Record<string, unknown>);
        return 'done';
      default:
        throw new Error(`unexpected secure-aggregation step ${String(payload.kind).slice(0, 40)}`);
    }
  }
}
