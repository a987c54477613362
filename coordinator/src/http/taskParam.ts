import type { Request, Response } from 'express';
import { TASK_IDS, type TaskId } from '@huddle/shared/modelCore';

/** The `:task` path parameter if it names a hosted task; otherwise answers 404 and returns null. */
export function taskParam(req: Request, res: Response, hosted: readonly TaskId[]): TaskId | null {
  const task = req.params.task as TaskId;
  if (!TASK_IDS.includes(task) || !hosted.includes(task)) {
    res.status(404).json({ error: `unknown task "${String(req.params.task).slice(0, 40)}"; tasks: ${hosted.join(', ')}` });
    return null;
  }
  return task;
}
