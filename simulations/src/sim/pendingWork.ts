import type { Phase } from './replyPhase.ts';

/**
 * Replies the coordinator still waits for, and how many of them a client wrapper is holding back until
 * their virtual send time. Virtual time may only advance once every awaited reply is held: until then
 * some client is still computing, or a released reply is still on the wire.
 */
export class PendingWork {
  private readonly expected = new Map<string, number>();
  private readonly held = new Map<string, number>();
  private readonly listeners = new Set<() => void>();
  /** Sum over keys of max(0, expected - held), kept up to date so checks cost O(1). */
  private missing = 0;

  static key(clientId: string, phase: Phase, roundId: string): string {
    return `${clientId}\u0000${phase}\u0000${roundId}`;
  }

  onChange(listener: () => void): void {
    this.listeners.add(listener);
  }

  expect(key: string): void {
    this.update(key, () => bump(this.expected, key, 1));
  }

  /** The coordinator received a reply. */
  arrived(key: string): void {
    if (this.expected.has(key)) this.update(key, () => bump(this.expected, key, -1));
  }

  hold(key: string): void {
    this.update(key, () => bump(this.held, key, 1));
  }

  release(key: string): void {
    this.update(key, () => bump(this.held, key, -1));
  }

  /** A disconnected client will not answer anything. */
  forgetClient(clientId: string): void {
    const prefix = `${clientId}\u0000`;
    const keys = new Set([...this.expected.keys(), ...this.held.keys()].filter((k) => k.startsWith(prefix)));
    for (const k of keys) {
      this.update(k, () => {
        this.expected.delete(k);
        this.held.delete(k);
      });
    }
    this.changed();
  }

  get outstanding(): number {
    return this.missing;
  }

  get settled(): boolean {
    return this.outstanding === 0;
  }

  private deficit(key: string): number {
    return Math.max(0, (this.expected.get(key) ?? 0) - (this.held.get(key) ?? 0));
  }

  private update(key: string, change: () => void): void {
    this.missing -= this.deficit(key);
    change();
    this.missing += this.deficit(key);
    this.changed();
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
