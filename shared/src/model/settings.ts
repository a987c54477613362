import { z } from 'zod';
import type { TaskId } from './spec.ts';

export const MODEL_KINDS = ['network', 'additive', 'trees'] as const;
export type ModelKind = (typeof MODEL_KINDS)[number];

/**
 * Which model a task trains and what it predicts; travels with every fit and evaluate request, so clients compute
 * exactly what the coordinator aggregates.
 * - target 'change' (readiness only): the model predicts readiness tomorrow minus today's readiness (the athlete's own
 *   mean when today is unanswered, see the `readiness_value` feature), and the prediction adds it back.
 * - loss: 'squared' for RMSE, 'absolute' for MAE, 'huber' between the two; 'logistic' for injury. The network trains
 *   only squared (readiness) and logistic (injury) losses.
 * - learningRate, l2, monotone: the additive model's server step (a damped Newton step on every shape function),
 *   its L2 penalty (in units of the share of training examples in a bin) and whether known directions are enforced.
 * - smoothing (additive): weight of each neighbouring bin when a round's step of an ordered feature (3 bins or more)
 *   is smoothed, mass-weighted, over its neighbours; 0 = no smoothing.
 * - averaging (additive): decay of the exponential moving average of the rounds' models that the federation serves
 *   and explains (the rounds keep stepping the latest model); 0 = serve the latest model.
 * - pairTerms (additive): also learn the pair terms of the layout (PAIR_TERMS, coarse 2-D cells), stepped like bins.
 * - step (additive, absolute loss only; other losses always take the Newton step): 'median' steps every slot to the
 *   weighted median of its residuals, estimated from per-slot counts over fixed residual buckets (LAD boosting's leaf
 *   value; the contribution then carries the counts instead of [G, H]); 'newton' (or absent) is the unit-hessian sign step.
 * - meanForecast (additive, absolute loss only; ignored by the other losses and the network): also learn, in the same rounds, a second model of the same shape on the
 *   squared loss, the expected value beside the median. The median is the forecast an athlete sees and is explained;
 *   the mean is the point forecast for squared error (RMSE scores it). The contribution gains one row (the squared
 *   loss's gradient per slot; its hessian is the day count the absolute loss already sends) and the parameters a
 *   second [served, iterate] pair, stepped with the same learning rate, L2, smoothing, constraints and averaging.
 * - treeDepth, treeCount (trees only): the depth of each boosted histogram tree (one round per level) and how many
 *   trees the model holds (its parameter vector has room for that many; rounds after the last tree change nothing).
 * - treeLevelRounds (trees only): rounds whose histograms build one level (each level then sees that many rounds'
 *   clients; the model takes depth x count x treeLevelRounds rounds).
 * All are optional (configurations saved before them read as 0 / false / 'newton', the behaviour they were trained with).
 */
export const modelSettingsSchema = z
  .object({
    kind: z.enum(MODEL_KINDS),
    target: z.enum(['level', 'change']),
    loss: z.enum(['squared', 'huber', 'absolute', 'logistic']),
    huberDelta: z.number().positive().max(10),
    learningRate: z.number().positive().max(2),
    l2: z.number().min(0).max(10),
    monotone: z.boolean(),
    smoothing: z.number().min(0).max(1).optional(),
    averaging: z.number().min(0).max(0.99).optional(),
    pairTerms: z.boolean().optional(),
    step: z.enum(['newton', 'median']).optional(),
    meanForecast: z.boolean().optional(),
    treeDepth: z.number().int().min(2).max(4).optional(),
    treeCount: z.number().int().min(1).max(64).optional(),
    treeLevelRounds: z.number().int().min(1).max(8).optional(),
  })
  .strict()
  .refine((m) => m.kind !== 'network' || m.loss === 'squared' || m.loss === 'logistic', { message: 'the network trains only squared (readiness) or logistic (injury) loss' })
  .refine((m) => m.kind === 'trees' || (m.treeDepth === undefined && m.treeCount === undefined && m.treeLevelRounds === undefined), { message: 'treeDepth, treeCount and treeLevelRounds apply only to kind "trees"' });
export type ModelSettings = z.infer<typeof modelSettingsSchema>;

/** Whether the additive model takes the median step (see `step`). */
export function usesMedianStep(m: ModelSettings): boolean {
  return m.step === 'median' && m.loss === 'absolute' && m.kind === 'additive';
}

/** Whether the additive model also learns the mean forecast (see `meanForecast`). */
export function learnsMeanForecast(m: ModelSettings): boolean {
  return m.meanForecast === true && m.kind === 'additive' && m.loss === 'absolute';
}

/** Settings that fit the task: injury is a probability (logistic loss, level target); readiness is a number. */
export function modelSettingsProblem(task: TaskId, m: ModelSettings): string | null {
  if (task === 'injury' && (m.loss !== 'logistic' || m.target !== 'level')) return 'injury needs loss "logistic" and target "level"';
  if (task === 'readiness' && m.loss === 'logistic') return 'readiness needs loss "squared", "huber" or "absolute"';
  return null;
}

/** What a task trained before models were configurable: the network, level target, its original loss. */
export function legacyModelSettings(task: TaskId): ModelSettings {
  return { kind: 'network', target: 'level', loss: task === 'injury' ? 'logistic' : 'squared', huberDelta: 1, learningRate: 1, l2: 0, monotone: false };
}
