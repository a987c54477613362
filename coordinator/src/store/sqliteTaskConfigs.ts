import type { SyncDb } from './sql/syncDb.ts';
import type { TaskId } from '@huddle/shared/model';
import { taskConfigSchema, type TaskConfig } from '@huddle/shared/protocol';

/** Task configurations set by an admin; validated on the way in and on the way out. */
export class SqliteTaskConfigs {
  private readonly getStmt;
  private readonly allStmt;
  private readonly putStmt;

  constructor(db: SyncDb) {
    this.getStmt = db.prepare<[string], { config: string }>('SELECT config FROM task_configs WHERE task = ?');
    this.allStmt = db.prepare<[], { config: string }>('SELECT config FROM task_configs ORDER BY task');
    this.putStmt = db.prepare(
      'INSERT INTO task_configs (task, config, updated_at) VALUES (?, ?, ?) ON CONFLICT (task) DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at',
    );
  }

  load(task: TaskId): TaskConfig | null {
    const row = this.getStmt.get(task);
    return row ? taskConfigSchema.parse(JSON.parse(row.config)) : null;
  }

  all(): TaskConfig[] {
    return this.allStmt.all().map((r) => taskConfigSchema.parse(JSON.parse(r.config)));
  }

  save(config: TaskConfig, now: number): TaskConfig {
    const valid = taskConfigSchema.parse(config);
    this.putStmt.run(valid.task, JSON.stringify(valid), now);
    return valid;
  }
}
