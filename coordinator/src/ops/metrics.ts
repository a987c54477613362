import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { TaskId } from '@huddle/shared/model';
import { ledgerEpsilon, type PrivacyLedger } from '@huddle/shared/privacy';
import type { Coordinator } from '../engine/coordinator.ts';

/** Abandon reasons grouped into a few stable label values (the free text stays in the round record). */
export const ABANDON_REASONS = ['too_few_clients', 'too_few_updates', 'privacy_budget', 'privacy_config', 'secure_aggregation', 'restart', 'other'] as const;
export type AbandonReason = (typeof ABANDON_REASONS)[number];

export function abandonReason(reason: string | null): AbandonReason {
  const r = reason ?? '';
  if (/idle opted-in clients/.test(r)) return 'too_few_clients';
  if (/^privacy budget/.test(r)) return 'privacy_budget';
  if (/^adaptive clipping/.test(r)) return 'privacy_config';
  if (/secure aggregation|secure sum refused|advertised keys|masked inputs|nothing was unmasked/.test(r)) return 'secure_aggregation';
  if (/coordinator stopped/.test(r)) return 'restart';
  if (/updates? by the deadline|reported no training examples/.test(r)) return 'too_few_updates';
  return 'other';
}

export interface MetricsSources {
  coordinator: Pick<Coordinator, 'on' | 'taskIds' | 'taskState' | 'registry'>;
  /** The task's privacy ledger, for epsilon spent; omit when the store keeps none. */
  ledger?: (task: TaskId) => PrivacyLedger;
}

/**
 * Prometheus metrics of a coordinator, fed by its round events (no engine code involved) and read
 * from its registry and privacy ledger at scrape time. Counts and durations only: no client id
 * ever becomes a label.
 */
export class CoordinatorMetrics {
  readonly registry = new Registry();
  private readonly unsubscribe: () => void;

  constructor(sources: MetricsSources) {
    const { coordinator } = sources;
    const registers = [this.registry];
    const started = new Counter({ name: 'huddle_rounds_started_total', help: 'Rounds that selected clients and started training', labelNames: ['task'], registers });
    const completed = new Counter({ name: 'huddle_rounds_completed_total', help: 'Rounds aggregated and committed', labelNames: ['task'], registers });
    const abandoned = new Counter({ name: 'huddle_rounds_abandoned_total', help: 'Rounds that ended without a new model, by reason class', labelNames: ['task', 'reason'], registers });
    const duration = new Histogram({
      name: 'huddle_round_duration_seconds',
      help: 'Wall time from a round\'s start to its end',
      labelNames: ['task', 'status'],
      buckets: [0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 900, 3600],
      registers,
    });
    const dropped = new Counter({
      name: 'huddle_round_dropped_clients_total',
      help: 'Selected clients whose update was not counted in a round (dropouts and discarded over-selected extras)',
      labelNames: ['task'],
      registers,
    });
    const reported = new Counter({ name: 'huddle_round_reported_clients_total', help: 'Selected clients whose update was counted in a round', labelNames: ['task'], registers });
    new Gauge({
      name: 'huddle_clients_connected',
      help: 'Clients connected and past their hello',
      registers,
      collect() {
        this.set(coordinator.registry.size);
      },
    });
    const ledger = sources.ledger;
    new Gauge({
      name: 'huddle_epsilon_spent',
      help: 'Epsilon spent so far per task at the task\'s delta (from the privacy ledger; 0 before any noised round)',
      labelNames: ['task'],
      registers,
      collect() {
        for (const task of coordinator.taskIds()) {
          const entries = ledger?.(task);
          const delta = coordinator.taskState(task).config.privacy.delta;
          this.set({ task }, entries && entries.entries.length > 0 ? ledgerEpsilon(entries, delta).epsilon : 0);
        }
      },
    });
    new Gauge({
      name: 'huddle_epsilon_budget',
      help: 'Epsilon budget per task (absent when the task has none)',
      labelNames: ['task'],
      registers,
      collect() {
        this.reset();
        for (const task of coordinator.taskIds()) {
          const budget = coordinator.taskState(task).config.privacy.epsilonBudget;
          if (budget !== null) this.set({ task }, budget);
        }
      },
    });
    for (const task of coordinator.taskIds()) {
      started.inc({ task }, 0);
      completed.inc({ task }, 0);
    }
    this.unsubscribe = coordinator.on((e) => {
      switch (e.type) {
        case 'roundStarted':
          started.inc({ task: e.task });
          return;
        case 'roundEnded': {
          const r = e.record;
          if (r.status === 'completed') completed.inc({ task: r.task });
          else abandoned.inc({ task: r.task, reason: abandonReason(r.reason) });
          const seconds = (Date.parse(r.endedAt) - Date.parse(r.startedAt)) / 1000;
          if (Number.isFinite(seconds) && seconds >= 0) duration.observe({ task: r.task, status: r.status }, seconds);
          dropped.inc({ task: r.task }, r.dropped.length);
          reported.inc({ task: r.task }, r.reported.length);
          return;
        }
        case 'updateReceived':
          return;
        default:
          return;
      }
    });
  }

  contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }

  close(): void {
    this.unsubscribe();
  }
}
