import { encodeFields } from './bytes.ts';
import { compareIds } from './ids.ts';
import { prg } from './prg.ts';

export interface GraphMember {
  readonly clientId: string;
  readonly encPublicKey: Uint8Array;
  readonly maskPublicKey: Uint8Array;
}

const GRAPH_LABEL = 'huddle/secagg/graph/v1';

/**
 * SecAgg+ neighbour graph (Bell et al. 2020 §3): a Harary graph H(k, n) over a pseudorandom permutation of the
 * participants. Place them on a ring in permuted order and join each to the floor(k/2) nearest on either side, plus the
 * antipode when k is odd (then n is even). Exactly k-regular; k = n - 1 gives the complete graph of classic SecAgg.
 * The permutation seed is SHA-256 over the round id, k and every (id, public keys), so both sides derive it from the
 * roster and the server cannot fix it before the clients' fresh keys are in.
 */
export class NeighbourGraph {
  private readonly cache = new Map<string, readonly string[]>();

  private constructor(
    private readonly ring: readonly string[],
    private readonly position: ReadonlyMap<string, number>,
    readonly degree: number,
  ) {}

  static async build(roundId: string, members: readonly GraphMember[], degree: number): Promise<NeighbourGraph> {
    const sorted = [...members].sort((a, b) => compareIds(a.clientId, b.clientId));
    const fields: (string | Uint8Array)[] = [GRAPH_LABEL, roundId, String(degree)];
    for (const m of sorted) fields.push(m.clientId, m.encPublicKey, m.maskPublicKey);
    const seed = new Uint8Array(await crypto.subtle.digest('SHA-256', encodeFields(fields)));
    const n = sorted.length;
    const stream = await prg(seed, 2 * n);
    const ring = sorted.map((m) => m.clientId);
    for (let i = n - 1; i > 0; i--) {
      // 53-bit uniform in [0, 1) from two words, as in Math.random implementations: bias below n / 2^53.
      const u = ((stream[2 * i]! >>> 5) * 67108864 + (stream[2 * i + 1]! >>> 6)) / 9007199254740992;
      const j = Math.floor(u * (i + 1));
      [ring[i], ring[j]] = [ring[j]!, ring[i]!];
    }
    return new NeighbourGraph(ring, new Map(ring.map((id, p) => [id, p])), degree);
  }

  get size(): number {
    return this.ring.length;
  }

  has(id: string): boolean {
    return this.position.has(id);
  }

  /** Sorted by id. */
  neighbours(id: string): readonly string[] {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const p = this.position.get(id);
    if (p === undefined) throw new RangeError(`${id} is not in the graph`);
    const n = this.ring.length;
    const half = Math.floor(this.degree / 2);
    const out: string[] = [];
    for (let d = 1; d <= half; d++) out.push(this.ring[(p + d) % n]!, this.ring[(p - d + n) % n]!);
    if (this.degree % 2 === 1) out.push(this.ring[(p + n / 2) % n]!);
    out.sort(compareIds);
    this.cache.set(id, out);
    return out;
  }

  areNeighbours(a: string, b: string): boolean {
    const pa = this.position.get(a);
    const pb = this.position.get(b);
    if (pa === undefined || pb === undefined || pa === pb) return false;
    const n = this.ring.length;
    const d = Math.abs(pa - pb);
    const ringDistance = Math.min(d, n - d);
    return ringDistance <= Math.floor(this.degree / 2) || (this.degree % 2 === 1 && 2 * ringDistance === n);
  }
}
