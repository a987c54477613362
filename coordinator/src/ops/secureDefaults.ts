import type { TaskConfig } from '@huddle/shared/protocol';

/**
 * What an enrolled coordinator runs with unless the operator opts out: secure aggregation, and
 * distributed DP (clients add discrete Gaussian noise shares before masking) under an epsilon
 * budget. z = 1 with delta 1e-5 keeps the model useful in federations of a few hundred athletes;
 * a budget of 8 stops training before the guarantee becomes meaningless.
 */
export const SECURE_DEFAULTS = { noiseMultiplier: 1, delta: 1e-5, epsilonBudget: 8 } as const;

export interface SecurityChoices {
  secureAggregation: boolean;
  dp: boolean;
  noiseMultiplier?: number;
  /** null = no budget (refused unless DP is off or the operator asks for it). */
  epsilonBudget?: number | null;
}

/** Applies the operator's choices (secure by default) to a task configuration built from the other flags. */
export function withSecurityChoices(config: TaskConfig, choices: SecurityChoices): TaskConfig {
  const noise = !choices.dp ? 'none' : choices.secureAggregation ? 'distributed' : 'central';
  return {
    ...config,
    secureAggregation: { ...config.secureAggregation, enabled: choices.secureAggregation },
    privacy: {
      ...config.privacy,
      noise,
      noiseMultiplier: noise === 'none' ? 0 : (choices.noiseMultiplier ?? SECURE_DEFAULTS.noiseMultiplier),
      delta: config.privacy.delta,
      epsilonBudget: noise === 'none' ? null : choices.epsilonBudget === undefined ? SECURE_DEFAULTS.epsilonBudget : choices.epsilonBudget,
    },
  };
}

export type SecurityMode = 'enrolled' | 'open';

/**
 * Plain-words warnings about a task's configuration, shown by `/health`, `GET /api/tasks` and the
 * dashboard. Empty for the secure defaults.
 */
export function securityWarnings(config: TaskConfig, mode: SecurityMode): string[] {
  const warnings: string[] = [];
  if (mode === 'open') warnings.push('open mode: any client id may join without enrollment and messages are not signed (demos and closed research networks only)');
  if (!config.secureAggregation.enabled) warnings.push('secure aggregation is off: the coordinator sees each athlete\'s model update');
  if (config.privacy.noise === 'none') warnings.push('differential privacy is off: released models and statistics carry no privacy guarantee');
  else if (config.privacy.epsilonBudget === null) warnings.push('no epsilon budget: training goes on however much privacy it spends');
  if (config.privacy.noise === 'central') warnings.push('central DP: the coordinator adds the noise, so it sees the exact sum');
  return warnings;
}
