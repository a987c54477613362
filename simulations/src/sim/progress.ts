import cliProgress from 'cli-progress';
import type { RoundResult } from './resultsSchema.ts';

export interface ProgressSink {
  stderr(text: string): void;
  /** A progress bar needs a terminal; otherwise one plain line per round. */
  isTTY: boolean;
}

export interface Progress {
  stage(name: string): void;
  round(r: RoundResult, total: number): void;
  warn(message: string): void;
  stop(): void;
}

export function formatMetric(m: Record<string, number | null>): string {
  return Object.entries(m)
    .filter(([k]) => k === 'auc' || k === 'mae')
    .map(([k, v]) => `${k} ${v === null ? 'n/a' : v.toFixed(4)}`)
    .join(', ');
}

export function createProgress(sink: ProgressSink): Progress {
  if (!sink.isTTY) {
    return {
      stage: (name) => sink.stderr(`[simulate] ${name}\n`),
      round: (r, total) =>
        sink.stderr(`[simulate] round ${r.round}/${total} ${r.status}: ${r.participants.length} updates, ${r.dropped.length} dropped, ${formatMetric(r.metrics)}\n`),
      warn: (m) => sink.stderr(`[simulate] warning: ${m}\n`),
      stop: () => undefined,
    };
  }
  let bar: cliProgress.SingleBar | null = null;
  const pending: string[] = [];
  return {
    stage: (name) => {
      if (name !== 'federated training') sink.stderr(`${name}...\n`);
    },
    round: (r, total) => {
      if (!bar) {
        bar = new cliProgress.SingleBar({ format: 'rounds [{bar}] {value}/{total} | {metric}', stream: process.stderr, hideCursor: true }, cliProgress.Presets.shades_classic);
        bar.start(total, 0, { metric: '' });
      }
      bar.update(r.round, { metric: formatMetric(r.metrics) });
      if (r.round >= total) {
        bar.stop();
        bar = null;
        pending.splice(0).forEach((m) => sink.stderr(m));
      }
    },
    warn: (m) => {
      const line = `warning: ${m}\n`;
      if (bar) pending.push(line);
      else sink.stderr(line);
    },
    stop: () => {
      bar?.stop();
      pending.splice(0).forEach((m) => sink.stderr(m));
    },
  };
}
