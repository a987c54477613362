/** The total order on client ids used for mask signs and canonical listings (UTF-16 code unit order). */
export function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function sortIds(ids: Iterable<string>): string[] {
  return [...ids].sort(compareIds);
}

/** sign(u, v) of Bonawitz et al. §4: u adds PRG(s_uv) when u < v and subtracts it otherwise. */
export function pairSign(self: string, peer: string): 1 | -1 {
  return compareIds(self, peer) < 0 ? 1 : -1;
}
