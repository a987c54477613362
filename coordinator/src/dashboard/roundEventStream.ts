import type { ServerResponse } from 'node:http';
import type { TaskId } from '@huddle/shared/model';
import type { RoundEvent } from '../engine/coordinator.ts';
import { publicRound, type PublicRound } from './publicRound.ts';

/** Live state of a round in progress: counts only. */
export interface RoundProgress {
  task: TaskId;
  round: number;
  roundId: string;
  selected: number;
  reported: number;
  /** Selected clients known to have dropped out, when the engine reports it. */
  dropped?: number;
  /** Epoch ms after which updates are no longer counted. */
  deadline: number;
}

export type DashboardEvent = { type: 'snapshot'; running: RoundProgress[] } | { type: 'progress'; progress: RoundProgress } | { type: 'roundEnded'; round: PublicRound };

export interface EventSource {
  on(listener: (e: RoundEvent) => void): () => void;
}

export interface RoundEventStreamOptions {
  maxClients?: number;
  heartbeatMs?: number;
}

/**
 * Turns the engine's round events into the dashboard's Server-Sent Events: participant ids are
 * reduced to counts before anything leaves the process.
 */
export class RoundEventStream {
  private readonly running = new Map<TaskId, RoundProgress>();
  private readonly clients = new Set<ServerResponse>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: ReturnType<typeof setInterval>;
  private readonly maxClients: number;

  constructor(source: EventSource, options: RoundEventStreamOptions = {}) {
    this.maxClients = options.maxClients ?? 32;
    this.unsubscribe = source.on((e) => this.onRoundEvent(e));
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), options.heartbeatMs ?? 15_000);
    this.heartbeat.unref();
  }

  get clientCount(): number {
    return this.clients.size;
  }

  snapshot(): RoundProgress[] {
    return [...this.running.values()].map((p) => ({ ...p }));
  }

  /** Starts streaming to `res`; false when the stream is full (the caller answers 503). */
  attach(res: ServerResponse): boolean {
    if (this.clients.size >= this.maxClients) return false;
    res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
    res.write(frame({ type: 'snapshot', running: this.snapshot() }));
    return true;
  }

  /** Ends every stream and stops listening; call before closing the HTTP server, or it waits on open streams. */
  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private onRoundEvent(e: RoundEvent): void {
    const event = this.toDashboardEvent(e);
    if (event) this.write(frame(event));
  }

  private toDashboardEvent(e: RoundEvent): DashboardEvent | null {
    switch (e.type) {
      case 'roundStarted': {
        const progress = { task: e.task, round: e.round, roundId: e.roundId, selected: e.selected, reported: 0, deadline: e.deadline };
        this.running.set(e.task, progress);
        return { type: 'progress', progress: { ...progress } };
      }
      case 'updateReceived': {
        const progress = this.running.get(e.task);
        if (!progress || progress.roundId !== e.roundId) return null;
        progress.reported = e.reported;
        const dropped = (e as { dropped?: unknown }).dropped;
        if (typeof dropped === 'number') progress.dropped = dropped;
        return { type: 'progress', progress: { ...progress } };
      }
      case 'roundEnded':
        if (this.running.get(e.record.task)?.roundId === e.record.roundId) this.running.delete(e.record.task);
        return { type: 'roundEnded', round: publicRound(e.record) };
      default:
        return null;
    }
  }

  private write(chunk: string): void {
    for (const res of this.clients) res.write(chunk);
  }
}

function frame(event: DashboardEvent): string {
  return `event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}
