/**
 * Per-client count of rounds in which the client was caught cheating (SecAggServer.cheaters: revealed shares its
 * dealer never committed to, or shares inconsistent with its own commitments). A client at the cap is refused at
 * Round 0 of later rounds, so one enrolled client cannot keep spoiling rounds. In memory: a restart forgives.
 */
export class StrikeLedger {
  private readonly counts = new Map<string, number>();

  constructor(readonly cap: number) {
    if (!Number.isSafeInteger(cap) || cap < 1) throw new RangeError(`strike cap must be a positive integer, got ${cap}`);
  }

  record(clientIds: Iterable<string>): void {
    for (const id of new Set(clientIds)) this.counts.set(id, (this.counts.get(id) ?? 0) + 1);
  }

  strikes(clientId: string): number {
    return this.counts.get(clientId) ?? 0;
  }

  isBarred(clientId: string): boolean {
    return this.strikes(clientId) >= this.cap;
  }
}
