import { encodePriorMoments, PRIOR_MOMENT_CLIP, priorSecAggId } from '@huddle/shared/aggregation';
import type { DailyLogRow } from '@huddle/shared/log';
import type { RandomSource } from '@huddle/shared/privacy';
import type { ClientMessageInput, MessageOf, PrivacyPolicy, ServerMessage } from '@huddle/shared/protocol';
import { twinPriorContribution } from './localPrior.ts';
import { checkStatisticRequest, secAggPolicy, type Refusal } from './privacyPolicy.ts';
import { SecureSession } from './secureSession.ts';

export interface PriorRoundDevice {
  policy: PrivacyPolicy;
  /** The coordinator already ran this round id with us (a replay). */
  replayed: boolean;
  rows(): Promise<readonly DailyLogRow[]>;
  clientId: string;
  signingKey: Uint8Array | undefined;
  random: RandomSource | undefined;
  send(msg: ClientMessageInput): void;
}

export type PriorAnswer = { kind: 'sent' } | { kind: 'session'; session: SecureSession } | { kind: 'refused'; refusal: Refusal };

/**
 * The device's answer to a twin-prior round: the athlete's policy first, then its own twin fitted to its own log under
 * the round's prior, checked against the moment bounds; plaintext `statisticResult` or a SecAgg session (only the sum
 * over the survivors is learned; under distributed DP the device adds its noise share).
 */
export async function answerTwinPrior(msg: MessageOf<ServerMessage, 'statisticRequest'>, d: PriorRoundDevice): Promise<PriorAnswer> {
  if (d.replayed) return { kind: 'refused', refusal: { code: 'round-replayed', reason: `round ${msg.roundId} was already run` } };
  const refusal = checkStatisticRequest(d.policy, msg);
  if (refusal) return { kind: 'refused', refusal };
  const contribution = twinPriorContribution(await d.rows(), msg.prior);
  if (!contribution.ok) return { kind: 'refused', refusal: { code: 'statistic-refused', reason: contribution.reason } };
  if (!msg.secure) {
    d.send({ type: 'statisticResult', roundId: msg.roundId, statistic: 'twinPrior', values: [...contribution.vector] });
    return { kind: 'sent' };
  }
  const session = new SecureSession(
    priorSecAggId(msg.roundId),
    d.clientId,
    encodePriorMoments(contribution.vector, msg.secure, d.random),
    secAggPolicy(d.policy, msg.secure, PRIOR_MOMENT_CLIP),
    d.signingKey,
    (payload) => d.send({ type: 'secagg', roundId: msg.roundId, payload }),
  );
  return { kind: 'session', session };
}
