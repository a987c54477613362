import nacl from 'tweetnacl';
import { z } from 'zod';
import { isCalendarDate } from '../log/calendar-date.ts';

const day = z.string().refine(isCalendarDate, 'must be a calendar date, YYYY-MM-DD');
export const bandSchema = z.enum(['green', 'amber', 'red']);
export type SummaryBand = z.infer<typeof bandSchema>;

/**
 * What an athlete may share with one coach, once a day: never the log. Every field but the name, the day and the end
 * of sharing is optional; an absent field is one the athlete chose not to share with this coach.
 */
export const coachSummarySchema = z
  .object({
    v: z.literal(1),
    /** The name the athlete chose to be shown to this coach (inside the ciphertext: the coordinator never sees it). */
    athleteName: z.string().trim().min(1).max(60),
    /** The athlete's local day this summary is about. */
    date: day,
    sentAt: z.iso.datetime(),
    /** The last day of sharing the athlete picked; the coach's board ignores the summary after it. */
    sharingEndsOn: day,
    checkedIn: z.boolean().optional(),
    readiness: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('forecast'), value: z.number().min(0).max(10), band: bandSchema, forDate: day }).strict(),
        z.object({ kind: z.literal('not-enough-evidence') }).strict(),
      ])
      .optional(),
    injuryRisk: z
      .discriminatedUnion('kind', [z.object({ kind: z.literal('band'), band: bandSchema }).strict(), z.object({ kind: z.literal('not-enough-evidence') }).strict()])
      .optional(),
    /** Planned sRPE load (AU) per day, from today, from the athlete's accepted plan. */
    plannedWeek: z.array(z.object({ date: day, load: z.number().min(0).max(10_000) }).strict()).max(14).optional(),
  })
  .strict();

export type CoachSummary = z.infer<typeof coachSummarySchema>;

/** Every summary is padded to this many bytes before encryption, so its ciphertext size says nothing about its content. */
export const SUMMARY_PADDED_BYTES = 2048;
/** The ciphertext of one summary: padded plaintext plus the 16-byte Poly1305 tag. */
export const SUMMARY_CIPHERTEXT_BYTES = SUMMARY_PADDED_BYTES + nacl.box.overheadLength;

/**
 * Encrypts a summary to the coach (tweetnacl box: X25519, XSalsa20-Poly1305) with this sharing's athlete key, so the
 * coach can tell it came from the holder of that key and nobody else can read or alter it.
 */
export function sealSummary(summary: CoachSummary, coachPublicKey: Uint8Array, athleteSecretKey: Uint8Array): { nonce: Uint8Array; ciphertext: Uint8Array } {
  const checked = coachSummarySchema.parse(summary);
  const json = new TextEncoder().encode(JSON.stringify(checked));
  if (json.length > SUMMARY_PADDED_BYTES) throw new RangeError(`a summary is at most ${SUMMARY_PADDED_BYTES} bytes`);
  const padded = new Uint8Array(SUMMARY_PADDED_BYTES).fill(0x20); // trailing spaces: JSON.parse ignores them
  padded.set(json);
  const nonce = nacl.randomBytes(nacl.box.nonceLength);
  return { nonce, ciphertext: nacl.box(padded, nonce, coachPublicKey, athleteSecretKey) };
}

export type OpenedSummary = { ok: true; summary: CoachSummary } | { ok: false; error: string };

/** Decrypts and validates a summary on the coach's device. */
export function openSummary(nonce: Uint8Array, ciphertext: Uint8Array, athletePublicKey: Uint8Array, coachSecretKey: Uint8Array): OpenedSummary {
  if (nonce.length !== nacl.box.nonceLength || ciphertext.length !== SUMMARY_CIPHERTEXT_BYTES) return { ok: false, error: 'a summary of the wrong size' };
  const plain = nacl.box.open(ciphertext, nonce, athletePublicKey, coachSecretKey);
  if (!plain) return { ok: false, error: 'a summary that does not decrypt with this sharing\'s keys (altered, or not from this athlete)' };
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(plain));
  } catch {
    return { ok: false, error: 'a summary that is not JSON' };
  }
  const parsed = coachSummarySchema.safeParse(value);
  return parsed.success ? { ok: true, summary: parsed.data } : { ok: false, error: `a summary of the wrong shape: ${parsed.error.issues[0]?.message ?? 'invalid'}` };
}
