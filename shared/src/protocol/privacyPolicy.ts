import { z } from 'zod';

/**
 * The privacy terms an athlete consents to when joining a federation. The client SDK enforces them itself, every
 * round, whatever the coordinator asks (client-sdk/src/privacyPolicy.ts); a weaker set needs the athlete's renewed
 * consent. Stored with the enrollment, so only JSON-friendly values (the auditor key is hex).
 */
export const STATISTICS = ['update', 'exampleCount', 'trainLoss', 'clipBit', 'evaluation'] as const;
export type Statistic = (typeof STATISTICS)[number];

/** never: stays on the device; secure-only: only inside a secure-aggregation sum; allowed: also in plaintext. */
export const releaseSchema = z.enum(['never', 'secure-only', 'allowed']);
export type Release = z.infer<typeof releaseSchema>;
const RELEASE_ORDER: Record<Release, number> = { never: 0, 'secure-only': 1, allowed: 2 };

export const privacyPolicySchema = z.object({
  version: z.literal(1),
  /** Fewest participants in a secure round's roster (with an auditor: fewest countersigned ones). */
  minParticipants: z.number().int().min(3).max(100_000),
  /** Neighbour floor k >= min(n - 1, factor x ceil(log2 n)) (SecAgg+, Bell et al. 2020); the threshold always exceeds k / 2. */
  neighbourLogFactor: z.number().min(0).max(64),
  /** Every peer must sign its keys with its enrollment key (off only for open federations, which have no keys). */
  requireSignatures: z.boolean(),
  /** Hex Ed25519 key of an auditor the coordinator's operator does not control; only its countersigned peers count. */
  auditorPublicKey: z.string().regex(/^[0-9a-f]{64}$/, 'a 32-byte Ed25519 key in lower-case hex').nullable(),
  dp: z.object({
    /** Refuse rounds without distributed noise (central noise is added by the coordinator and cannot be checked here). */
    required: z.boolean(),
    /** Floor on z = summed noise std / clip, whenever the round carries distributed noise. */
    minNoiseMultiplier: z.number().min(0).max(100),
  }),
  /** Largest L2 clip bound of one update. */
  maxClip: z.number().positive().max(1e6),
  statistics: z.object({
    update: releaseSchema,
    exampleCount: releaseSchema,
    trainLoss: releaseSchema,
    clipBit: releaseSchema,
    evaluation: releaseSchema,
    /** The planning twin's fitted parameters, as bounded moments for the federated prior; absent = as `evaluation`. */
    twinPrior: releaseSchema.optional(),
  }),
});
export type PrivacyPolicy = z.infer<typeof privacyPolicySchema>;

/**
 * The default floors: 5 participants, k >= min(n - 1, 2 ceil(log2 n)), signed keys, z >= 0.5 under distributed DP,
 * clip <= 10. Statistics may leave in plaintext (the federation's mode decides; the consent screen says which);
 * `strictPrivacyPolicy` keeps every figure inside secure aggregation.
 */
export function defaultPrivacyPolicy(): PrivacyPolicy {
  return {
    version: 1,
    minParticipants: 5,
    neighbourLogFactor: 2,
    requireSignatures: true,
    auditorPublicKey: null,
    dp: { required: false, minNoiseMultiplier: 0.5 },
    // The largest clip any task uses by default (the additive model's gradient-and-hessian vector).
    maxClip: 20,
    statistics: { update: 'allowed', exampleCount: 'allowed', trainLoss: 'allowed', clipBit: 'allowed', evaluation: 'allowed' },
  };
}

/** The default for a device without an enrollment key (open federations): nothing can be signed, so nothing is checked. */
export function openFederationPolicy(): PrivacyPolicy {
  return { ...defaultPrivacyPolicy(), requireSignatures: false };
}

/** Every figure only inside secure aggregation, distributed DP required. */
export function strictPrivacyPolicy(): PrivacyPolicy {
  return {
    ...defaultPrivacyPolicy(),
    dp: { required: true, minNoiseMultiplier: 0.5 },
    statistics: { update: 'secure-only', exampleCount: 'secure-only', trainLoss: 'secure-only', clipBit: 'secure-only', evaluation: 'secure-only' },
  };
}

/** How the twin's moments may leave (the `evaluation` term when the policy predates the twin prior). */
export function twinPriorRelease(policy: PrivacyPolicy): Release {
  return policy.statistics.twinPrior ?? policy.statistics.evaluation;
}

/** k floor for a roster of n. */
export function neighbourFloor(policy: PrivacyPolicy, participants: number): number {
  return Math.min(participants - 1, Math.ceil(policy.neighbourLogFactor * Math.ceil(Math.log2(Math.max(2, participants)))));
}

/** The ways `proposed` is weaker than `consented` (empty: no renewed consent needed). */
export function weakerTerms(consented: PrivacyPolicy, proposed: PrivacyPolicy): string[] {
  const out: string[] = [];
  if (proposed.minParticipants < consented.minParticipants) out.push(`fewer participants (${proposed.minParticipants} < ${consented.minParticipants})`);
  if (proposed.neighbourLogFactor < consented.neighbourLogFactor) out.push('fewer neighbours');
  if (consented.requireSignatures && !proposed.requireSignatures) out.push('unsigned peers');
  if (consented.auditorPublicKey !== null && proposed.auditorPublicKey !== consented.auditorPublicKey) out.push('a different or no auditor');
  if (consented.dp.required && !proposed.dp.required) out.push('DP no longer required');
  if (proposed.dp.minNoiseMultiplier < consented.dp.minNoiseMultiplier) out.push(`less noise (z ${proposed.dp.minNoiseMultiplier} < ${consented.dp.minNoiseMultiplier})`);
  if (proposed.maxClip > consented.maxClip) out.push(`larger clip (${proposed.maxClip} > ${consented.maxClip})`);
  for (const s of STATISTICS) {
    if (RELEASE_ORDER[proposed.statistics[s]] > RELEASE_ORDER[consented.statistics[s]]) out.push(`${s} released ${proposed.statistics[s]}`);
  }
  // When neither policy sets the term it follows `evaluation`, already compared above.
  const explicit = consented.statistics.twinPrior !== undefined || proposed.statistics.twinPrior !== undefined;
  if (explicit && RELEASE_ORDER[twinPriorRelease(proposed)] > RELEASE_ORDER[twinPriorRelease(consented)]) out.push(`twinPrior released ${twinPriorRelease(proposed)}`);
  return out;
}

const STAT_WORDS: Record<Statistic, string> = {
  update: 'your model update',
  exampleCount: 'how many days you trained on',
  trainLoss: 'your training loss',
  clipBit: 'whether your update needed clipping',
  evaluation: 'how well the model predicts your held-out days',
};

/** The policy in plain words, one sentence per term, for the consent screen. */
export function describePolicy(policy: PrivacyPolicy): string[] {
  const lines: string[] = [];
  const release = (words: string, r: Release) =>
    r === 'never'
      ? `${cap(words)} never leaves your device.`
      : r === 'secure-only'
        ? `${cap(words)} leaves your device only inside a secure sum: the coordinator sees it added to at least ${policy.minParticipants - 1} other athletes' figures, never alone.`
        : `${cap(words)} may be sent to the coordinator on its own when the federation does not use secure aggregation; then the coordinator's operator can read it.`;
  for (const s of STATISTICS) lines.push(release(STAT_WORDS[s], policy.statistics[s]));
  lines.push(release("your planning twin's fitted time constants and gains (bounded, for the population prior)", twinPriorRelease(policy)));
  lines.push(
    `Your device takes part in a secure sum only with at least ${policy.minParticipants} participants, each of whom shares your secret pieces with at least min(participants - 1, ${policy.neighbourLogFactor} x log2(participants)) others, more than half of whom must cooperate to unmask anything.`,
  );
  lines.push(
    policy.requireSignatures
      ? 'Every other participant must prove its keys with its enrollment key; your device refuses rounds where one cannot, or where the coordinator shows different athletes different lists of who is still in the round.'
      : 'Participants are not authenticated (an open federation): the coordinator could invent participants and so learn your update.',
  );
  lines.push(
    policy.auditorPublicKey
      ? `Only participants vouched for by the auditor (key ${policy.auditorPublicKey.slice(0, 16)}...) count toward these minimums, so the coordinator cannot pad a round with participants it invented unless the auditor helps it.`
      : 'No independent auditor vouches for participants: a coordinator that enrolls fake athletes itself could still isolate your update.',
  );
  lines.push(
    policy.dp.required
      ? `Every update you send carries random noise of your own (differential privacy, noise multiplier at least ${policy.dp.minNoiseMultiplier}); rounds without it are refused.`
      : `When a round adds differential-privacy noise on the devices, it must be at least ${policy.dp.minNoiseMultiplier} times the clip bound; rounds without device noise are allowed.`,
  );
  lines.push(`Your update's size is capped (clip bound at most ${policy.maxClip}) before it leaves your device.`);
  return lines;
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
