import type { Vault } from '../storage/vault.ts';
import type { OutboxEntry } from './messages.ts';

/** Seals every outbox entry into the vault, in order, batching what arrives while a write is under way. */
export class OutboxKeeper {
  private pending: OutboxEntry[] = [];
  private writing: Promise<void> | null = null;

  constructor(
    private readonly vault: () => Promise<Vault>,
    private readonly onError: (err: unknown) => void,
  ) {}

  add(entry: OutboxEntry): void {
    this.pending.push(entry);
    this.writing ??= this.drain().finally(() => (this.writing = null));
  }

  /** Resolves once everything added so far is stored. */
  async flushed(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending;
      this.pending = [];
      try {
        await (await this.vault()).addOutbox(batch);
      } catch (err) {
        this.onError(err);
      }
    }
  }
}
