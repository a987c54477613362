import { TASK_LABELS, TASKS, type TaskId } from '../../types.ts';

/** A task's privacy settings as the team server states them (`GET /health`, public). */
export interface TaskPrivacy {
  task: TaskId;
  secureAggregation: boolean;
  dp: 'none' | 'central' | 'distributed';
}

/** The team server's stated settings, or null when it cannot be reached or does not say. Never throws. */
export async function fetchTeamPrivacy(origin: string, fetchImpl: typeof fetch = fetch): Promise<TaskPrivacy[] | null> {
  try {
    const res = await fetchImpl(`${origin}/health`);
    if (!res.ok) return null;
    const body = (await res.json()) as { privacy?: unknown };
    if (!Array.isArray(body.privacy)) return null;
    const out = body.privacy.filter(
      (p): p is TaskPrivacy =>
        typeof p === 'object' && p !== null && (TASKS as readonly unknown[]).includes((p as TaskPrivacy).task) && typeof (p as TaskPrivacy).secureAggregation === 'boolean' && ['none', 'central', 'distributed'].includes((p as TaskPrivacy).dp),
    );
    return out.length > 0 ? out : null;
  } catch {
    return null;
  }
}

/** Plain words for one task's settings. */
export function teamPrivacyWords(p: TaskPrivacy): string {
  const model = `${TASK_LABELS[p.task]} model`;
  const secagg = p.secureAggregation
    ? 'uses secure aggregation: your update is masked, and the team server only ever sees the sum over many athletes'
    : 'does not use secure aggregation: the team server can read your update on its own';
  const dp =
    p.dp === 'distributed'
      ? 'Differential privacy is on, with the noise added on the devices, so not even the team server sees the exact sum.'
      : p.dp === 'central'
        ? 'Differential privacy is on, with the noise added by the team server: it sees the exact sum, what it publishes is protected.'
        : 'Differential privacy is off: the trained model carries no formal privacy guarantee.';
  return `${model}: your team ${secagg}. ${dp}`;
}
