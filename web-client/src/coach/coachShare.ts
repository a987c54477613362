/** What the athlete chose to put in the daily summary for one coach. */
export interface ShareChoices {
  readiness: boolean;
  risk: boolean;
  checkIn: boolean;
  plan: boolean;
}

/** One coach this athlete shares with, kept sealed in the athlete's vault. The box secret never leaves the device. */
export interface CoachShare {
  grantId: string;
  /** The coach's pairing code (fingerprint of its box key), canonical form. */
  coachId: string;
  /** base64 of the coach's box public key, checked against the pairing code when paired. */
  coachBoxKey: string;
  /** This sharing's own box key pair (base64). */
  boxPublicKey: string;
  boxSecretKey: string;
  /** The name this coach sees (only inside the ciphertext). */
  name: string;
  /** The last day of sharing (YYYY-MM-DD, local), the athlete's choice. */
  lastDay: string;
  share: ShareChoices;
  createdAt: string;
  /** The day and content digest of the last summary sent, so one is sent when something changed or a new day began. */
  lastSent: { date: string; digest: string; at: string } | null;
  /** Set when the athlete stopped sharing; kept so the screen can say so. */
  revokedAt: string | null;
}

/** End of the last shared day in local time, as epoch ms: what the coordinator is told as the grant's expiry. */
export function lastDayEndMs(lastDay: string): number {
  const [y, m, d] = lastDay.split('-').map(Number);
  return new Date(y!, m! - 1, d! + 1).getTime();
}

/** True while the sharing is neither revoked nor past its last day. */
export function shareActive(s: CoachShare, today: string): boolean {
  return s.revokedAt === null && today <= s.lastDay;
}
