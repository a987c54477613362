/**
 * Coalesces the leader's consecutive sends of one encoded frame (a fit or evaluate request: the same bytes
 * for every client) into one Redis frame per node naming all its sockets, instead of one copy per client.
 * Sends are flushed in order at the end of the current task, and before any other frame for a node
 * (`flush`), so every socket still receives its frames in the order the engine sent them.
 */
export class DownBatcher {
  private bytes: Uint8Array | null = null;
  private readonly sids = new Map<string, Set<string>>();
  private scheduled = false;

  constructor(private readonly publish: (node: string, sids: string[], bytes: Uint8Array) => void) {}

  send(node: string, sid: string, bytes: Uint8Array): void {
    // A socket named twice in one frame would receive it once: the second copy starts a new batch.
    if (this.bytes !== bytes || this.sids.get(node)?.has(sid)) this.flush();
    this.bytes = bytes;
    const set = this.sids.get(node);
    if (set) set.add(sid);
    else this.sids.set(node, new Set([sid]));
    if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    const bytes = this.bytes;
    if (!bytes) return;
    this.bytes = null;
    for (const [node, sids] of this.sids) this.publish(node, [...sids], bytes);
    this.sids.clear();
  }
}
