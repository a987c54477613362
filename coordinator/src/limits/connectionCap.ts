/** Caps simultaneous connections per remote address. */
export class ConnectionCap {
  private readonly open = new Map<string, number>();

  constructor(readonly maxPerAddress: number) {
    if (!(maxPerAddress >= 1)) throw new RangeError('maxPerAddress must be at least 1');
  }

  /** Counts a new connection from `address`; false (and nothing counted) when the address is at its cap. */
  tryAcquire(address: string): boolean {
    const n = this.open.get(address) ?? 0;
    if (n >= this.maxPerAddress) return false;
    this.open.set(address, n + 1);
    return true;
  }

  release(address: string): void {
    const n = this.open.get(address) ?? 0;
    if (n <= 1) this.open.delete(address);
    else this.open.set(address, n - 1);
  }

  count(address: string): number {
    return this.open.get(address) ?? 0;
  }
}
