import { taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';

export type Merged<T> = { ok: true; value: T } | { ok: false; error: string };

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Deep merge of a partial object into `base`: nested objects merge key by key, anything else
 * (numbers, strings, arrays, null) replaces. A key `base` does not have is refused by name, so a
 * misspelt setting is reported instead of silently ignored. Where `base` holds null or a scalar,
 * the patch value replaces it whole (e.g. turning on adaptive clipping).
 */
export function deepMerge(base: unknown, patch: unknown, path: string[] = []): Merged<unknown> {
  if (!isPlainObject(patch) || !isPlainObject(base)) return { ok: true, value: patch };
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    const here = [...path, key];
    if (!(key in base)) return { ok: false, error: `unknown setting "${here.join('.').slice(0, 80)}"` };
    if (value === undefined) continue;
    const merged = deepMerge(base[key], value, here);
    if (!merged.ok) return merged;
    out[key] = merged.value;
  }
  return { ok: true, value: out };
}

/** `base` with `patch` merged in, then checked by the full task configuration schema. */
export function mergeTaskConfig(base: TaskConfig, patch: unknown): Merged<TaskConfig> {
  if (!isPlainObject(patch)) return { ok: false, error: 'a task configuration patch must be a JSON object' };
  if (patch.task !== undefined && patch.task !== base.task) return { ok: false, error: `the patch names task "${String(patch.task).slice(0, 40)}" but applies to "${base.task}"` };
  const merged = deepMerge(base, patch);
  if (!merged.ok) return merged;
  const parsed = taskConfigSchema.safeParse(merged.value);
  if (!parsed.success) {
    return { ok: false, error: `invalid task configuration: ${parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}` };
  }
  return { ok: true, value: parsed.data };
}
