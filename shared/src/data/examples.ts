import type { AthleteFeatures } from '../features/index.ts';
import type { TaskId } from '../model/spec.ts';
import type { TrainingData } from '../model/trainTf.ts';

/** Labelled examples of one task from one athlete's features, in date order. */
export interface TaskExamples extends TrainingData {
  /** Index into the athlete's `dates` of each example. */
  days: number[];
}

/** Days the athlete logged that have a label for the task. */
export function taskExamples(features: AthleteFeatures, task: TaskId): TaskExamples {
  const labels = task === 'injury' ? features.injuryLabel : features.readinessLabel;
  const f = features.x.length / Math.max(1, features.dates.length);
  const days: number[] = [];
  for (let d = 0; d < features.dates.length; d++) {
    if (features.hasReport[d] && labels[d] !== null && labels[d] !== undefined) days.push(d);
  }
  const x = new Float32Array(days.length * f);
  const y = new Float32Array(days.length);
  days.forEach((d, i) => {
    x.set(features.x.subarray(d * f, d * f + f), i * f);
    y[i] = labels[d] as number;
  });
  return { x, y, n: days.length, days };
}

export function sliceExamples(ex: TaskExamples, start: number, end: number): TaskExamples {
  const f = ex.n > 0 ? ex.x.length / ex.n : 0;
  return { x: ex.x.slice(start * f, end * f), y: ex.y.slice(start, end), n: end - start, days: ex.days.slice(start, end) };
}

/** Temporal protocol: the last `testFraction` of the athlete's labelled days are held out. */
export function temporalSplit(ex: TaskExamples, testFraction: number): { train: TaskExamples; test: TaskExamples } {
  const cut = ex.n - Math.round(ex.n * testFraction);
  return { train: sliceExamples(ex, 0, cut), test: sliceExamples(ex, cut, ex.n) };
}

export function concatExamples(parts: readonly TaskExamples[]): TaskExamples {
  const n = parts.reduce((s, p) => s + p.n, 0);
  const f = parts.find((p) => p.n > 0) ? parts.find((p) => p.n > 0)!.x.length / parts.find((p) => p.n > 0)!.n : 0;
  const x = new Float32Array(n * f);
  const y = new Float32Array(n);
  const days: number[] = [];
  let offset = 0;
  for (const p of parts) {
    x.set(p.x, offset * f);
    y.set(p.y, offset);
    days.push(...p.days);
    offset += p.n;
  }
  return { x, y, n, days };
}
