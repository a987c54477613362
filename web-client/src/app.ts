import type { ClientEvent } from '@huddle/client-sdk';
import { EngineClient } from './engine/engineClient.ts';
import type { ForecastResult } from './engine/forecast.ts';
import type { ConnectionState, OutboxEntry } from './engine/messages.ts';
import { deleteDatabase } from './storage/db.ts';
import { OUTBOX_LIMIT, Vault } from './storage/vault.ts';
import { forgetPasskey } from './storage/passkeyWrap.ts';
import { passkeyOf, readVaultKey, rekeyVault, type Protection } from './storage/vaultKey.ts';
import { keepForOffline } from './sw/keepForOffline.ts';
import { forgetEnrollment, type ForgetOutcome } from './identity.ts';
import { TASK_LABELS, type Identity, type ParticipationRecord, type Settings, type TaskId } from './types.ts';

export type AppEvent =
  | { type: 'connection' }
  | { type: 'outbox' }
  | { type: 'participation' }
  | { type: 'log' }
  | { type: 'settings' }
  | { type: 'identity' }
  | { type: 'forecast' }
  | { type: 'erased' }
  | { type: 'notice'; message: string };

/** Tabs of this app tell each other when the data was erased, so none keeps (or re-creates) a deleted database. */
const CHANNEL = 'huddle-app';

/** Everything the screens share. The log itself stays in the vault and the worker. */
export class App {
  readonly engine: EngineClient;
  online = navigator.onLine;
  connection: { state: ConnectionState; detail?: string; tasks: TaskId[] } = { state: 'idle', tasks: [] };
  outbox: OutboxEntry[] = [];
  participationRecord: ParticipationRecord;
  forecast: { result: ForecastResult; notes: string[] } | null = null;
  forecastError: string | null = null;
  private forecastRun: Promise<void> | null = null;
  private forecastStale = true;
  backend: string | null = null;
  erased = false;
  private readonly listeners = new Set<(e: AppEvent) => void>();

  constructor(readonly vault: Vault, readonly origin: string) {
    this.engine = new EngineClient(origin, vault.sealingKey);
    this.participationRecord = vault.participation();
    this.outbox = vault.outbox();
    this.engine.on((m) => {
      switch (m.type) {
        case 'ready':
        case 'backend':
          this.backend = m.backend;
          if (m.wasm) keepForOffline(m.wasm);
          break;
        case 'connection':
          this.connection = { state: m.state, tasks: m.tasks, ...(m.detail ? { detail: m.detail } : {}) };
          this.emit({ type: 'connection' });
          break;
        case 'outbox':
          this.outbox = [m.entry, ...this.outbox].slice(0, OUTBOX_LIMIT);
          this.emit({ type: 'outbox' });
          break;
        case 'contribution':
          this.participationRecord = { last: m.last, recent: m.recent };
          this.emit({ type: 'participation' });
          if (m.last) this.emit({ type: 'notice', message: `Your device contributed to round ${m.last.round} of the ${TASK_LABELS[m.last.task].toLowerCase()} model.` });
          break;
        case 'clientEvent':
          this.onClientEvent(m.event);
          break;
        case 'error':
          this.emit({ type: 'notice', message: `Engine: ${m.message}` });
          break;
        default:
          break;
      }
    });
  }

  private channel: BroadcastChannel | null = null;

  start(): void {
    if ('BroadcastChannel' in globalThis) {
      this.channel = new BroadcastChannel(CHANNEL);
      this.channel.onmessage = (ev: MessageEvent<unknown>) => {
        if (ev.data === 'erased') void this.erasedElsewhere();
        // Another tab re-encrypted the vault under a new key: this tab's key no longer opens it.
        if (ev.data === 'rekeyed') location.reload();
      };
    }
    this.engine.start();
    addEventListener('online', () => this.setOnline(true));
    addEventListener('offline', () => this.setOnline(false));
    this.syncParticipation();
  }

  on(listener: (e: AppEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(e: AppEvent): void {
    for (const l of this.listeners) l(e);
  }

  identity(): Identity | null {
    return this.vault.identity();
  }

  settings(): Settings {
    return this.vault.settings();
  }

  /** Tasks this device currently trains: enrolled, offered by the enrollment and opted in to. */
  activeTasks(): TaskId[] {
    const identity = this.identity();
    if (!identity) return [];
    const consent = this.settings().consent;
    return identity.tasksOffered.filter((t) => consent[t]);
  }

  syncParticipation(): void {
    this.engine.participate(this.activeTasks(), this.online);
  }

  async setIdentity(identity: Identity | null): Promise<void> {
    await this.vault.setIdentity(identity);
    this.emit({ type: 'identity' });
    this.syncParticipation();
  }

  async setConsent(consent: Record<TaskId, boolean>): Promise<void> {
    await this.vault.setSettings({ ...this.settings(), consent, consentedAt: new Date().toISOString() });
    this.emit({ type: 'settings' });
    this.syncParticipation();
  }

  /** After any change to the log. */
  logChanged(): void {
    this.engine.dataChanged();
    this.forecastStale = true;
    this.emit({ type: 'log' });
  }

  /** Recomputes the forecasts (in the worker) when the log or the model may have changed. */
  refreshForecast(force = false): Promise<void> {
    if (this.forecastRun) return this.forecastRun;
    if (!force && !this.forecastStale && this.forecast) return Promise.resolve();
    this.forecastRun = this.engine
      .forecast(this.online)
      .then(
        (f) => {
          this.forecast = f;
          this.forecastError = null;
          this.forecastStale = false;
        },
        (err: unknown) => {
          this.forecastError = err instanceof Error ? err.message : String(err);
        },
      )
      .finally(() => {
        this.forecastRun = null;
        this.emit({ type: 'forecast' });
      });
    return this.forecastRun;
  }

  get forecastRunning(): boolean {
    return this.forecastRun !== null;
  }

  /** Stops taking part and asks the coordinator to forget this device; the log stays. */
  async leaveFederation(): Promise<ForgetOutcome | null> {
    const identity = this.identity();
    if (!identity) return null;
    this.engine.participate([], this.online);
    const outcome = await forgetEnrollment(this.origin, identity);
    await this.vault.setIdentity(null);
    await this.vault.setSettings({ ...this.settings(), consent: { injury: false, readiness: false } });
    this.emit({ type: 'identity' });
    this.emit({ type: 'settings' });
    this.syncParticipation();
    return outcome;
  }

  /**
   * Erases everything this app keeps: the enrollment at the coordinator (signed request), the worker, the IndexedDB
   * database with every record and the device key, the passkey that wrapped it (where the browser lets the app say
   * so), the offline caches and the service worker.
   */
  async eraseEverything(): Promise<{ coordinator: ForgetOutcome | null }> {
    const identity = this.identity();
    const coordinator = identity ? await forgetEnrollment(this.origin, identity) : null;
    await this.engine.stop();
    this.vault.close();
    const kept = await readVaultKey(false).catch(() => null);
    const passkey = kept?.state === 'locked' ? passkeyOf(kept.wrapped) : null;
    await deleteDatabase();
    if (passkey) await forgetPasskey(passkey);
    if ('caches' in globalThis) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
    if ('serviceWorker' in navigator) {
      for (const reg of await navigator.serviceWorker.getRegistrations()) await reg.unregister();
    }
    try {
      localStorage.clear();
      sessionStorage.clear();
    } catch {
      /* storage may be unavailable */
    }
    this.erased = true;
    this.forecast = null;
    this.outbox = [];
    this.channel?.postMessage('erased');
    this.channel?.close();
    return { coordinator };
  }

  /** Re-encrypts the vault under a new key kept as `protection` says (storage/vaultKey.ts), then reloads. */
  async changeProtection(protection: Protection): Promise<void> {
    await this.engine.stop();
    try {
      await rekeyVault(this.vault.sealingKey, protection);
    } catch (err) {
      this.engine.start();
      this.syncParticipation();
      throw err;
    }
    this.vault.close();
    this.channel?.postMessage('rekeyed');
    location.reload();
  }

  /** Another tab erased everything: stop using the (deleted) database here too. */
  private async erasedElsewhere(): Promise<void> {
    if (this.erased) return;
    this.erased = true;
    await this.engine.stop();
    this.vault.close();
    this.forecast = null;
    this.outbox = [];
    this.channel?.close();
    sessionStorage.setItem('huddle-erased', 'Everything was erased from another tab of this app.');
    this.emit({ type: 'erased' });
  }

  private setOnline(online: boolean): void {
    this.online = online;
    this.syncParticipation();
    this.emit({ type: 'connection' });
  }

  private onClientEvent(e: ClientEvent): void {
    if (e.type === 'trained') {
      this.emit({ type: 'notice', message: `Trained the ${TASK_LABELS[e.task].toLowerCase()} model on ${e.numExamples} of your days for round ${e.round}; sent the clipped update.` });
    } else if (e.type === 'roundEnd' && e.status === 'completed') {
      this.forecastStale = true;
    } else if (e.type === 'serverError') {
      this.emit({ type: 'notice', message: `The team server said: ${e.message}` });
    }
  }
}
