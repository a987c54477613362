import { temporalSplit, taskExamples, type TaskExamples } from '@huddle/shared/data';
import { buildAthleteFeatures, type AthleteFeatures } from '@huddle/shared/features';
import type { DailyLogRow } from '@huddle/shared/log';
import type { TaskId } from '@huddle/shared/model';
import type { DataSource } from './dataSource.ts';

export interface TaskSplit {
  train: TaskExamples;
  test: TaskExamples;
}

/** What evaluation needs of the features: the calendar and the labels, not every day's vector. */
export type DayLabels = Pick<AthleteFeatures, 'athleteId' | 'dates' | 'injuryLabel' | 'readinessLabel' | 'hasReport'>;

/**
 * Features and train/held-out splits of the athlete's own log, rebuilt when the log changes. Once a task's split is
 * built, every day's feature vector is let go (the split holds the labelled days'; the latest day's is kept for
 * predictions) and rebuilt from the rows only if another task's split is asked for.
 */
export class LocalData {
  private cachedVersion = -1;
  private features: AthleteFeatures | null = null;
  private labels: DayLabels | null = null;
  private latest: { date: string; x: Float32Array } | null = null;
  private rows: readonly DailyLogRow[] = [];
  private splits = new Map<TaskId, TaskSplit>();

  constructor(private readonly source: DataSource, private readonly testFraction: number) {}

  async athleteFeatures(): Promise<AthleteFeatures | null> {
    await this.refresh();
    return this.fullFeatures();
  }

  async dayLabels(): Promise<DayLabels | null> {
    await this.refresh();
    return this.labels;
  }

  /** The latest logged day's feature vector. */
  async latestDay(): Promise<{ date: string; x: Float32Array } | null> {
    await this.refresh();
    return this.latest;
  }

  /** The athlete's rows (for figures computed on the device, e.g. where it stands in the federation). */
  async logRows(): Promise<readonly DailyLogRow[]> {
    await this.refresh();
    return this.rows;
  }

  async split(task: TaskId): Promise<TaskSplit | null> {
    await this.refresh();
    const features = this.splits.has(task) ? null : this.fullFeatures();
    if (!this.labels) return null;
    let s = this.splits.get(task);
    if (!s && features) {
      s = temporalSplit(taskExamples(features, task), this.testFraction);
      this.splits.set(task, s);
      this.features = null;
    }
    return s ?? null;
  }

  private fullFeatures(): AthleteFeatures | null {
    if (!this.features && this.labels) this.features = buildAthleteFeatures(this.rows);
    return this.features;
  }

  private async refresh(): Promise<void> {
    if (this.cachedVersion === this.source.version()) return;
    const version = this.source.version();
    const rows = await this.source.load();
    const features = rows.length > 0 ? buildAthleteFeatures(rows) : null;
    this.features = features;
    this.labels = features ? { athleteId: features.athleteId, dates: features.dates, injuryLabel: features.injuryLabel, readinessLabel: features.readinessLabel, hasReport: features.hasReport } : null;
    const last = features ? features.dates.length - 1 : -1;
    const f = features && last >= 0 ? features.x.length / features.dates.length : 0;
    this.latest = features && last >= 0 ? { date: features.dates[last]!, x: features.x.slice(last * f, last * f + f) } : null;
    this.rows = rows;
    this.splits.clear();
    this.cachedVersion = version;
  }
}
