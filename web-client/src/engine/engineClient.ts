import type { TaskId } from '../types.ts';
import type { ForecastResult } from './forecast.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import type { PlanJob, PlanJobResult } from './planJob.ts';

type Listener = (message: FromWorker) => void;

/** The page's handle on the engine worker. */
export class EngineClient {
  private worker: Worker | null = null;
  private readonly listeners = new Set<Listener>();
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: { result: ForecastResult; notes: string[] }) => void; reject: (e: Error) => void }>();

  private readonly planPending = new Map<number, { resolve: (r: PlanJobResult) => void; reject: (e: Error) => void }>();

  constructor(private readonly origin: string, private readonly vaultKey: CryptoKey) {}

  start(): void {
    if (this.worker) return;
    const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'huddle-engine' });
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.receive(ev.data);
    worker.onerror = (ev) => this.receive({ type: 'error', message: ev.message || 'the engine stopped unexpectedly' });
    this.worker = worker;
    this.send({ type: 'init', origin: this.origin, key: this.vaultKey });
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  participate(tasks: TaskId[], online: boolean): void {
    this.send({ type: 'participate', tasks, online });
  }

  dataChanged(): void {
    this.send({ type: 'dataChanged' });
  }

  forecast(download: boolean): Promise<{ result: ForecastResult; notes: string[] }> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.send({ type: 'forecast', id, download });
    });
  }

  /** Runs a planning job (twin, what-if, recommendation) in the worker, on the log it reads itself. */
  plan(job: PlanJob): Promise<PlanJobResult> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.worker) {
        reject(new Error('the engine is not running'));
        return;
      }
      this.planPending.set(id, { resolve, reject });
      this.send({ type: 'plan', id, job });
    });
  }

  /** The privacy terms the SDK enforces on this device, in plain words (computed in the worker). */
  describePolicy(): Promise<string[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.worker) return reject(new Error('the engine is not running'));
      const off = this.on((m) => {
        if (m.type === 'policyLines' && m.id === id) {
          off();
          resolve(m.lines);
        }
      });
      this.send({ type: 'describePolicy', id });
    });
  }

  /** Disconnects, closes the worker's database connection and ends the worker. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2000);
      const off = this.on((m) => {
        if (m.type === 'shutdownDone') {
          clearTimeout(timer);
          off();
          resolve();
        }
      });
      this.send({ type: 'shutdown' });
    });
    worker.terminate();
    this.worker = null;
    for (const p of [...this.pending.values(), ...this.planPending.values()]) p.reject(new Error('the engine was stopped'));
    this.pending.clear();
    this.planPending.clear();
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }

  private receive(message: FromWorker): void {
    if (message.type === 'forecastResult' || message.type === 'forecastError') {
      const p = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.type === 'forecastResult') p?.resolve({ result: message.result, notes: message.modelNotes });
      else p?.reject(new Error(message.message));
    }
    if (message.type === 'planResult' || message.type === 'planError') {
      const p = this.planPending.get(message.id);
      this.planPending.delete(message.id);
      if (message.type === 'planResult') p?.resolve(message.result);
      else p?.reject(new Error(message.message));
    }
    for (const l of this.listeners) l(message);
  }
}
