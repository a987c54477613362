import {
  NeighbourGraph,
  SecAggClient,
  SecAggServer,
  type ConsistencyProofMessage,
  type MaskedInputMessage,
  type RelayMessage,
  type RosterMessage,
  type ShareKeysMessage,
  type UnmaskRequestMessage,
  type UnmaskResponseMessage,
  type X25519Backend,
  signingPublicKey,
} from '../src/secagg/index.ts';

export interface RoundSpec {
  n: number;
  vectorLength: number;
  neighbours?: number | 'all';
  threshold?: number;
  roundId?: string;
  inputs?: Uint32Array[];
  /** Never send ShareKeys (dropped before Round 1). */
  dropBeforeShare?: ReadonlySet<string>;
  /** Shared keys but never send a masked input (dropped after key sharing); may be chosen from the roster. */
  dropAfterShare?: ReadonlySet<string> | ((roster: RosterMessage) => Promise<ReadonlySet<string>>);
  /** Sent masked input but never sign the survivor set (nor answer the unmask request). */
  dropBeforeSign?: ReadonlySet<string>;
  /** Signed the survivor set but never answer the unmask request. */
  dropBeforeUnmask?: ReadonlySet<string>;
  /** Ed25519 enrollment keys by client index (enrolled federations); the server then requires signed advertisements. */
  signingKeyFor?: (index: number) => Uint8Array | undefined;
  backendFor?: (index: number) => X25519Backend | undefined;
}

export interface RoundTrace {
  server: SecAggServer;
  clients: Map<string, SecAggClient>;
  inputs: Map<string, Uint32Array>;
  roster: RosterMessage;
  shareKeys: ShareKeysMessage[];
  relays: ReadonlyMap<string, RelayMessage>;
  masked: MaskedInputMessage[];
  request: UnmaskRequestMessage;
  /** Undefined when nobody signed the survivor set. */
  proof: ConsistencyProofMessage | undefined;
  responses: UnmaskResponseMessage[];
}

/** The consistency round: the given survivors sign the survivor set; returns the server's proof. */
export async function consistencyRound(
  server: SecAggServer,
  clients: ReadonlyMap<string, SecAggClient>,
  request: UnmaskRequestMessage,
  signers: readonly string[] = request.survivors,
): Promise<ConsistencyProofMessage> {
  for (const m of await Promise.all(signers.map((id) => clients.get(id)!.checkSurvivors(request)))) server.acceptSurvivorSignature(m);
  return server.consistencyProof();
}

export const clientIds = (n: number): string[] => Array.from({ length: n }, (_, i) => `athlete-${String(i).padStart(4, '0')}`);

export function randomVector(length: number): Uint32Array {
  const v = new Uint32Array(length);
  for (let i = 0; i < length; i += 16384) crypto.getRandomValues(v.subarray(i, Math.min(length, i + 16384)));
  return v;
}

export function plainSum(vectors: Iterable<Uint32Array>, length: number): Uint32Array {
  const sum = new Uint32Array(length);
  for (const v of vectors) for (let i = 0; i < length; i++) sum[i] = sum[i]! + v[i]!;
  return sum;
}

/** Drives one honest round up to (not including) finalize. */
export async function runToUnmask(spec: RoundSpec): Promise<RoundTrace> {
  const roundId = spec.roundId ?? `round-${Math.random().toString(36).slice(2, 10)}`;
  const ids = clientIds(spec.n);
  const keys = ids.map((_, i) => spec.signingKeyFor?.(i));
  const server = new SecAggServer({
    roundId,
    vectorLength: spec.vectorLength,
    ...(spec.neighbours !== undefined ? { neighbours: spec.neighbours } : {}),
    ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
    ...(spec.signingKeyFor
      ? {
          identityOf: (id: string) => {
            const key = keys[ids.indexOf(id)];
            return key ? { enrollmentPublicKey: signingPublicKey(key) } : null;
          },
        }
      : {}),
  });
  const clients = new Map(
    ids.map((id, i) => {
      const x25519 = spec.backendFor?.(i);
      const signingKey = keys[i];
      return [id, new SecAggClient({ roundId, clientId: id, ...(x25519 ? { x25519 } : {}), ...(signingKey ? { signingKey } : {}) })];
    }),
  );
  const inputs = new Map(ids.map((id, i) => [id, spec.inputs?.[i] ?? randomVector(spec.vectorLength)]));

  for (const a of await Promise.all([...clients.values()].map((c) => c.advertiseKeys()))) {
    await server.acceptAdvertiseKeys(a);
  }
  const roster = await server.roster();
  const sharing = ids.filter((id) => !spec.dropBeforeShare?.has(id));
  const shareKeys = await Promise.all(sharing.map((id) => clients.get(id)!.shareKeys(roster)));
  for (const m of shareKeys) server.acceptShareKeys(m);
  const relays = server.relay();
  const dropAfterShare =
    typeof spec.dropAfterShare === 'function' ? await spec.dropAfterShare(roster) : (spec.dropAfterShare ?? new Set());
  const masking = [...relays.keys()].filter((id) => !dropAfterShare.has(id));
  const masked = await Promise.all(masking.map((id) => clients.get(id)!.maskInput(inputs.get(id)!, relays.get(id)!)));
  for (const m of masked) server.acceptMaskedInput(m);
  const request = server.unmaskRequest();
  const signing = request.survivors.filter((id) => !spec.dropBeforeSign?.has(id));
  const proof = signing.length > 0 ? await consistencyRound(server, clients, request, signing) : undefined;
  const answering = proof ? signing.filter((id) => !spec.dropBeforeUnmask?.has(id)) : [];
  const responses = await Promise.all(answering.map((id) => clients.get(id)!.unmask(proof!)));
  for (const r of responses) server.acceptUnmaskResponse(r);
  return { server, clients, inputs, roster, shareKeys, relays, masked, request, proof, responses };
}

/**
 * A random dropout set of `count` clients that every neighbourhood survives: each survivor, and each dropped client
 * with a surviving neighbour, keeps at least t surviving neighbours. Random greedy with restarts.
 */
export async function survivableDropouts(roster: RosterMessage, count: number): Promise<Set<string>> {
  const { neighbours: k, threshold: t } = roster.params;
  const graph = await NeighbourGraph.build(roster.roundId, roster.participants, k);
  const ids = roster.participants.map((p) => p.clientId);
  const ok = (dropped: Set<string>) =>
    ids.every((u) => {
      const alive = graph.neighbours(u).filter((v) => !dropped.has(v)).length;
      return alive >= t || (dropped.has(u) && alive === 0);
    });
  for (let attempt = 0; attempt < 500; attempt++) {
    const order = [...ids].sort(() => Math.random() - 0.5);
    const dropped = new Set<string>();
    for (const id of order) {
      if (dropped.size === count) break;
      dropped.add(id);
      if (!ok(dropped)) dropped.delete(id);
    }
    if (dropped.size === count) return dropped;
  }
  throw new Error(`no survivable dropout set of size ${count}`);
}

export async function runRound(spec: RoundSpec): Promise<RoundTrace & { sum: Uint32Array; expected: Uint32Array }> {
  const trace = await runToUnmask(spec);
  const sum = await trace.server.finalize();
  const expected = plainSum(
    trace.request.survivors.map((id) => trace.inputs.get(id)!),
    spec.vectorLength,
  );
  return { ...trace, sum, expected };
}
