import type { Phase } from './peek.ts';

/**
 * Replies the coordinator still waits for, and which of them a client wrapper is holding back until
 * their virtual send time. Virtual time may only advance once every awaited reply is held: until then
 * some client is still computing, or a released reply is still on the wire.
 */
export class PendingWork {
  private readonly expected = new Set<string>();
  private readonly held = new Set<string>();
  private readonly listeners = new Set<() => void>();

  static key(clientId: string, phase: Phase, roundId: string): string {
    return `${clientId}\u0000${phase}\u0000${roundId}`;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  expect(key: string): void {
    this.expected.add(key);
    this.changed();
  }

  /** The coordinator received the reply. */
  arrived(key: string): void {
    if (this.expected.delete(key)) this.changed();
  }

  hold(key: string): void {
    this.held.add(key);
    this.changed();
  }

  release(key: string): void {
    this.held.delete(key);
    this.changed();
  }

  /** A disconnected client will not answer anything. */
  forgetClient(clientId: string): void {
    const prefix = `${clientId}\u0000`;
    for (const k of [...this.expected]) if (k.startsWith(prefix)) this.expected.delete(k);
    for (const k of [...this.held]) if (k.startsWith(prefix)) this.held.delete(k);
    this.changed();
  }

  get settled(): boolean {
    for (const k of this.expected) if (!this.held.has(k)) return false;
    return true;
  }

  get outstanding(): number {
    let n = 0;
    for (const k of this.expected) if (!this.held.has(k)) n++;
    return n;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}
