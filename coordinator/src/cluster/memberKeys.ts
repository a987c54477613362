/** Most keys in one frame (the bus schema's bound). */
const MAX_KEYS_PER_FRAME = 10_000;

/**
 * The leader's side of key warming: the enrollment keys of clients that joined on each node, gathered and sent to
 * that node as one frame every `flushMs`. A node otherwise first sees its clients' keys in a round's cohort order,
 * and imports them there, in the fit step.
 */
export class MemberKeys {
  private readonly pending = new Map<string, Uint8Array[]>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly publish: (node: string, keys: Uint8Array[]) => void,
    private readonly flushMs = 100,
  ) {}

  add(node: string, key: Uint8Array): void {
    let keys = this.pending.get(node);
    if (!keys) this.pending.set(node, (keys = []));
    keys.push(key);
    if (keys.length >= MAX_KEYS_PER_FRAME) {
      this.pending.delete(node);
      this.publish(node, keys);
    }
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.flushMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const [node, keys] of this.pending) this.publish(node, keys);
    this.pending.clear();
  }

  close(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.clear();
  }
}
