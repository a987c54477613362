import { neighbourFloor, twinPriorRelease, type MessageOf, type PrivacyPolicy, type Release, type SecureFit, type ServerMessage, type Statistic } from '@huddle/shared/protocol';
import { fromHex, SecAggError, type SecAggClientPolicy } from '@huddle/shared/secagg';
import { CLIP_BIT_SCALE } from '@huddle/shared/aggregation';

/** Why the device refused a round; shown to the athlete (ClientEvent 'refused'). */
export type RefusalCode =
  | 'clip-above-policy'
  | 'plaintext-refused'
  | 'statistic-refused'
  | 'dp-required'
  | 'noise-below-policy'
  | 'roster-below-policy'
  | 'peer-not-authenticated'
  | 'views-inconsistent'
  | 'bad-share'
  | 'round-replayed'
  | 'protocol-violation';

export interface Refusal {
  code: RefusalCode;
  reason: string;
}

type FitRequest = MessageOf<ServerMessage, 'fitRequest'>;

function allows(release: Release, secure: boolean): boolean {
  return release === 'allowed' || (release === 'secure-only' && secure);
}

/** Checks a fit request's settings against the policy before any training; null = may proceed. */
export function checkFitRequest(policy: PrivacyPolicy, msg: FitRequest): Refusal | null {
  const clip = msg.config.clipNorm;
  if (clip > policy.maxClip) return { code: 'clip-above-policy', reason: `clip bound ${clip} is above the ${policy.maxClip} you agreed to` };
  const enc = msg.secure;
  const secure = enc !== null;
  const sent: [Statistic, boolean][] = secure
    ? [
        ['update', true],
        ['exampleCount', enc.releaseStats || enc.exampleWeightCap > 0],
        ['trainLoss', enc.releaseStats],
        ['clipBit', msg.clipBitBound !== null],
      ]
    : [
        ['update', true],
        ['exampleCount', true],
        ['trainLoss', true],
        ['clipBit', msg.clipBitBound !== null],
      ];
  for (const [stat, requested] of sent) {
    if (requested && !allows(policy.statistics[stat], secure)) {
      return {
        code: stat === 'update' ? 'plaintext-refused' : 'statistic-refused',
        reason: `${stat} would leave the device ${secure ? 'in a secure sum' : 'in plaintext'}; you agreed to ${policy.statistics[stat]}`,
      };
    }
  }
  if (!secure || enc.noiseSigma === 0) {
    return policy.dp.required ? { code: 'dp-required', reason: 'the round adds no noise on the device; you agreed only to rounds that do' } : null;
  }
  // Distributed DP: figures summed outside the noise, or weights multiplying the sensitivity, defeat it.
  if (enc.releaseStats) return { code: 'statistic-refused', reason: 'example count and loss would be summed without noise under DP' };
  if (enc.exampleWeightCap > 0) return { code: 'statistic-refused', reason: 'updates weighted by example count under DP exceed the clip bound' };
  if (msg.clipBitBound !== null && !((enc.clipBitNoiseSigma ?? 0) > 0)) return { code: 'statistic-refused', reason: 'the clip bit would be summed without noise under DP' };
  if (policy.dp.minNoiseMultiplier > 0 && minSurvivorsForNoise(policy, enc, clip) > 100_000) {
    return { code: 'noise-below-policy', reason: `the device noise (sigma ${enc.noiseSigma}) can never reach z = ${policy.dp.minNoiseMultiplier}` };
  }
  return null;
}

type EvaluateRequest = MessageOf<ServerMessage, 'evaluateRequest'>;

/** The evaluation vector leaves in a secure sum when the request carries an encoding, else in plaintext. */
export function checkEvaluateRequest(policy: PrivacyPolicy, msg: Pick<EvaluateRequest, 'secure'>): Refusal | null {
  const enc = msg.secure ?? null;
  const secure = enc !== null;
  if (!allows(policy.statistics.evaluation, secure)) {
    return { code: 'statistic-refused', reason: `evaluation results would leave the device ${secure ? 'in a secure sum' : 'in plaintext'}; you agreed to ${policy.statistics.evaluation}` };
  }
  if (policy.dp.required && (!secure || enc.noiseSigma === 0)) return { code: 'dp-required', reason: 'the evaluation adds no noise on the device; you agreed only to rounds that do' };
  if (secure && (enc.releaseStats || enc.exampleWeightCap > 0)) return { code: 'statistic-refused', reason: 'the evaluation encoding asks for statistics slots it does not need' };
  return null;
}

type StatisticRequest = MessageOf<ServerMessage, 'statisticRequest'>;

/** The twin prior's moments leave in a secure sum when the request carries an encoding, else in plaintext. */
export function checkStatisticRequest(policy: PrivacyPolicy, msg: Pick<StatisticRequest, 'secure'>): Refusal | null {
  const enc = msg.secure;
  const secure = enc !== null;
  const release = twinPriorRelease(policy);
  if (!allows(release, secure)) return { code: 'statistic-refused', reason: `your twin's fitted parameters would leave the device ${secure ? 'in a secure sum' : 'in plaintext'}; you agreed to ${release}` };
  if (policy.dp.required && (!secure || enc.noiseSigma === 0)) return { code: 'dp-required', reason: 'the twin-prior round adds no noise on the device; you agreed only to rounds that do' };
  if (secure && (enc.releaseStats || enc.exampleWeightCap > 0)) return { code: 'statistic-refused', reason: 'the twin-prior encoding asks for statistics slots it does not need' };
  return null;
}

/**
 * Fewest survivors whose noise together reaches the floor. The update alone: sqrt(m) x sigma / (clip x scale) >= z_min.
 * With a noised clip bit (sensitivity 1/2 once centred), the pair composes to one Gaussian query of multiplier
 * z(m) = sqrt(m) / sqrt(a^-2 + b^-2), a = sigma / (clip x scale), b = 2 sigma_bit / CLIP_BIT_SCALE (Andrew et al.
 * 2021, Theorem 1), so m >= z_min^2 (a^-2 + b^-2). The client reveals no share for a smaller survivor set (the
 * coordinator could otherwise drop clients to thin the noise).
 */
export function minSurvivorsForNoise(policy: PrivacyPolicy, enc: SecureFit, clip: number): number {
  if (enc.noiseSigma === 0) return 0;
  const a = enc.noiseSigma / (clip * enc.scale);
  const bit = enc.clipBitNoiseSigma ?? 0;
  const inverse = a ** -2 + (bit > 0 ? ((2 * bit) / CLIP_BIT_SCALE) ** -2 : 0);
  return Math.ceil(policy.dp.minNoiseMultiplier ** 2 * inverse - 1e-9);
}

/** The SecAgg layer's share of the policy for one round. */
export function secAggPolicy(policy: PrivacyPolicy, enc: SecureFit, clip: number): SecAggClientPolicy {
  return {
    vectorLength: enc.vectorLength,
    requireSignatures: policy.requireSignatures,
    ...(policy.auditorPublicKey ? { auditorPublicKey: fromHex(policy.auditorPublicKey) } : {}),
    minParticipants: policy.minParticipants,
    minNeighbours: (n: number) => Math.max(enc.minNeighbours, neighbourFloor(policy, n)),
    minSurvivors: Math.max(policy.minParticipants, minSurvivorsForNoise(policy, enc, clip)),
  };
}

/** A refusal inside the secure-aggregation protocol, in the athlete's terms. */
export function refusalOf(err: unknown): Refusal {
  if (!(err instanceof SecAggError)) return { code: 'protocol-violation', reason: err instanceof Error ? err.message : String(err) };
  const code: RefusalCode =
    err.code === 'POLICY_REFUSED'
      ? 'roster-below-policy'
      : err.code === 'SIGNATURE_INVALID'
        ? 'peer-not-authenticated'
        : err.code === 'CONSISTENCY_FAILED' || err.code === 'INCONSISTENT_REQUEST' || err.code === 'BOTH_SHARES_REQUESTED'
          ? 'views-inconsistent'
          : err.code === 'BAD_SHARE'
            ? 'bad-share'
            : 'protocol-violation';
  return { code, reason: err.reason };
}
