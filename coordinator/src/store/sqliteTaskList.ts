import { TASK_IDS, type TaskId } from '@huddle/shared/modelCore';

/** Task lists are stored as JSON arrays; anything else in the column is a corrupt database. */
export function parseTaskList(json: string): TaskId[] {
  const value: unknown = JSON.parse(json);
  if (!Array.isArray(value) || !value.every((t): t is TaskId => TASK_IDS.includes(t as TaskId))) {
    throw new Error(`corrupt task list in the database: ${json.slice(0, 80)}`);
  }
  return value;
}
