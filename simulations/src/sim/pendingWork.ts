import type { Phase } from './peek.ts';

/**
 * Replies the coordinator still waits for, and how many of them a client wrapper is holding back until
 * their virtual send time. Virtual time may only advance once every awaited reply is held: until then
 * some client is still computing, or a released reply is still on the wire.
 */
export class PendingWork {
  private readonly expected = new Map<string, number>();
  private readonly held = new Map<string, number>();
  private readonly listeners = new Set<() => void>();

  static key(clientId: string, phase: Phase, roundId: string): string {
    return `${clientId}\u0000${phase}\u0000${roundId}`;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  expect(key: string): void {
    bump(this.expected, key, 1);
    this.changed();
  }

  /** The coordinator received a reply. */
  arrived(key: string): void {
    if (!this.expected.has(key)) return;
    bump(this.expected, key, -1);
    this.changed();
  }

  hold(key: string): void {
    bump(this.held, key, 1);
    this.changed();
  }

  release(key: string): void {
    bump(this.held, key, -1);
    this.changed();
  }

  /** A disconnected client will not answer anything. */
  forgetClient(clientId: string): void {
    const prefix = `${clientId}\u0000`;
    for (const map of [this.expected, this.held]) for (const k of [...map.keys()]) if (k.startsWith(prefix)) map.delete(k);
    this.changed();
  }

  get outstanding(): number {
    let n = 0;
    for (const [k, count] of this.expected) n += Math.max(0, count - (this.held.get(k) ?? 0));
    return n;
  }

  get settled(): boolean {
    return this.outstanding === 0;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }
}

function bump(map: Map<string, number>, key: string, by: number): void {
  const next = (map.get(key) ?? 0) + by;
  if (next > 0) map.set(key, next);
  else map.delete(key);
}
