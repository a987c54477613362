/** What one Redis frame to a node carries: one encoded frame for many of its sockets, or a frame each, in order. */
export type DownBatch = { kind: 'many'; sids: string[]; bytes: Uint8Array } | { kind: 'each'; frames: { sid: string; bytes: Uint8Array }[] };

/** Frames of differing bytes carried by one Redis frame at most (and their bytes): well under Redis's pub/sub limits. */
export const MAX_EACH_FRAMES = 4096;
export const MAX_EACH_BYTES = 1 << 20;

interface Run {
  bytes: Uint8Array;
  sids: Set<string>;
}

/**
 * Coalesces the leader's sends to the sockets of other nodes into few Redis frames: consecutive sends of one encoded
 * frame (a fit or evaluate request: the same bytes for every client) become one frame naming all the node's sockets;
 * frames that differ per socket (a roundEnd, sealed for each connection) travel together in one frame, in the order
 * they were sent. Sends are flushed at the end of the current task, and before any other frame for a node (`flush`),
 * so every socket still receives its frames in the order the engine sent them.
 */
export class DownBatcher {
  private readonly runs = new Map<string, { runs: Run[]; frames: number; bytes: number }>();
  private scheduled = false;

  constructor(private readonly publish: (node: string, batch: DownBatch) => void) {}

  send(node: string, sid: string, bytes: Uint8Array): void {
    let pending = this.runs.get(node);
    if (!pending) this.runs.set(node, (pending = { runs: [], frames: 0, bytes: 0 }));
    const last = pending.runs.at(-1);
    // A socket named twice in one run would receive the frame once: the second copy starts a new run.
    if (last && last.bytes === bytes && !last.sids.has(sid)) last.sids.add(sid);
    else {
      pending.runs.push({ bytes, sids: new Set([sid]) });
      pending.frames++;
      pending.bytes += bytes.byteLength;
    }
    if (pending.frames >= MAX_EACH_FRAMES || pending.bytes >= MAX_EACH_BYTES) this.flushNode(node);
    else if (!this.scheduled) {
      this.scheduled = true;
      queueMicrotask(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    for (const node of [...this.runs.keys()]) this.flushNode(node);
  }

  private flushNode(node: string): void {
    const pending = this.runs.get(node);
    if (!pending) return;
    this.runs.delete(node);
    let each: { sid: string; bytes: Uint8Array }[] = [];
    const sendEach = () => {
      if (each.length > 0) this.publish(node, { kind: 'each', frames: each });
      each = [];
    };
    for (const run of pending.runs) {
      if (run.sids.size === 1) {
        each.push({ sid: run.sids.values().next().value!, bytes: run.bytes });
        continue;
      }
      sendEach();
      this.publish(node, { kind: 'many', sids: [...run.sids], bytes: run.bytes });
    }
    sendEach();
  }
}
