import type { TaskId } from '@huddle/shared/model';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import { withSecurityChoices, type SecurityMode } from './secureDefaults.ts';
import { mergeTaskConfig } from './taskConfigMerge.ts';

export interface TaskConfigInput {
  tasks: TaskId[];
  clientsPerRound: number;
  minClients: number;
  roundTimeoutMs: number;
  /** Per-task partial settings from --task-config, deep-merged over the rest. */
  overrides: Record<string, unknown>;
  security: SecurityMode;
  /** Enrolled mode's explicit opt-outs (--insecure-no-secagg, --no-dp). */
  insecureNoSecagg: boolean;
  dp: boolean;
  noiseMultiplier?: number;
  epsilonBudget?: number | null;
}

export type BuiltConfigs = { ok: true; configs: TaskConfig[] } | { ok: false; error: string };

/**
 * The coordinator's task settings from its flags: the task defaults, then (enrolled mode) secure
 * aggregation with distributed DP under an epsilon budget unless opted out, then --task-config.
 * Settings from a file may not weaken privacy behind the flags' back: turning secure aggregation
 * or DP off there still needs the flag.
 */
export function buildTaskConfigs(input: TaskConfigInput): BuiltConfigs {
  const enrolled = input.security === 'enrolled';
  if (!enrolled && (input.insecureNoSecagg || !input.dp || input.noiseMultiplier !== undefined || input.epsilonBudget !== undefined)) {
    return { ok: false, error: '--insecure-no-secagg, --no-dp, --noise-multiplier and --epsilon-budget apply to enrolled mode; with --open set privacy in --task-config' };
  }
  if (!input.dp && (input.noiseMultiplier !== undefined || input.epsilonBudget !== undefined)) {
    return { ok: false, error: '--noise-multiplier and --epsilon-budget make no sense with --no-dp' };
  }
  const configs: TaskConfig[] = [];
  for (const task of input.tasks) {
    let base = defaultTaskConfig(task, { clientsPerRound: input.clientsPerRound, minClients: Math.min(input.minClients, input.clientsPerRound), roundTimeoutMs: input.roundTimeoutMs });
    if (enrolled) {
      base = withSecurityChoices(base, {
        secureAggregation: !input.insecureNoSecagg,
        dp: input.dp,
        ...(input.noiseMultiplier !== undefined ? { noiseMultiplier: input.noiseMultiplier } : {}),
        ...(input.epsilonBudget !== undefined ? { epsilonBudget: input.epsilonBudget } : {}),
      });
    }
    const merged = mergeTaskConfig(base, input.overrides[task] ?? {});
    if (!merged.ok) {
      const hint = enrolled && base.secureAggregation.enabled && /minClients/.test(merged.error) ? ' (enrolled mode runs secure aggregation, which needs --min-clients >= 3)' : '';
      return { ok: false, error: `invalid settings for ${task}: ${merged.error}${hint}` };
    }
    const config = merged.value;
    if (enrolled && !config.secureAggregation.enabled && !input.insecureNoSecagg) {
      return { ok: false, error: `--task-config turns secure aggregation off for ${task}; confirm with --insecure-no-secagg` };
    }
    if (enrolled && config.privacy.noise === 'none' && input.dp) {
      return { ok: false, error: `--task-config turns differential privacy off for ${task}; confirm with --no-dp` };
    }
    configs.push(config);
  }
  return { ok: true, configs };
}
