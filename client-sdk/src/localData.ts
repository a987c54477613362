import { temporalSplit, taskExamples, type TaskExamples } from '@huddle/shared/data';
import { buildAthleteFeatures, type AthleteFeatures } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import type { TaskId } from '@huddle/shared/model';
import type { DataSource } from './dataSource.ts';

export interface TaskSplit {
  train: TaskExamples;
  test: TaskExamples;
}

/** Features and train/held-out splits of the athlete's own log, rebuilt when the log changes. */
export class LocalData {
  private cachedVersion = -1;
  private features: AthleteFeatures | null = null;
  private rows: readonly DailyLogRow[] = [];
  private splits = new Map<TaskId, TaskSplit>();

  constructor(private readonly source: DataSource, private readonly testFraction: number) {}

  async athleteFeatures(): Promise<AthleteFeatures | null> {
    await this.refresh();
    return this.features;
  }

  /** The athlete's rows (for figures computed on the device, e.g. where it stands in the federation). */
  async logRows(): Promise<readonly DailyLogRow[]> {
    await this.refresh();
    return this.rows;
  }

  async split(task: TaskId): Promise<TaskSplit | null> {
    await this.refresh();
    if (!this.features) return null;
    let s = this.splits.get(task);
    if (!s) {
      s = temporalSplit(taskExamples(this.features, task), this.testFraction);
      this.splits.set(task, s);
    }
    return s;
  }

  private async refresh(): Promise<void> {
    if (this.cachedVersion === this.source.version()) return;
    const version = this.source.version();
    const rows = await this.source.load();
    this.features = rows.length > 0 ? buildAthleteFeatures(rows) : null;
    this.rows = rows;
    this.splits.clear();
    this.cachedVersion = version;
  }
}
