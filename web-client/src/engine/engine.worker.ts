/**
 * The device's compute engine, off the page's main thread: federated participation through the client SDK
 * (socket.io; training on the shared fast kernels, tfjs on its wasm backend only as the fallback, imported only when
 * needed) and the forecasts. Reads the encrypted log itself, so log rows and the enrollment key never cross into the
 * page's messages to it.
 */
import { fetchTwinPrior, FederatedClient, SocketIoClientTransport, type ClientEvent, type DataSource, type FederatedClientOptions } from '@huddle/client-sdk';
import type { DailyLogRow } from '@huddle/shared/log';
import { createDeviceTrainer, wasmKernelsAvailable, type LocalTrainer } from '@huddle/shared/model';
import { base64ToBytes, base64ToFloats, floatsToBase64 } from '@huddle/shared/util';
import { Vault } from '../storage/vault.ts';
import type { CachedModel, ContributionRecord, Identity, TaskId } from '../types.ts';
import { computeForecasts, type Personalization } from './forecast.ts';
import { runPlanJob, type PlanJob } from './planJob.ts';
import type { FromWorker, ToWorker } from './messages.ts';
import { fetchGlobalModel, type GlobalModel } from './modelFetch.ts';
import { legacyModelSettings, modelSpec, TASK_IDS } from '@huddle/shared/model';
import { defaultPrivacyPolicy, describePolicy } from '@huddle/shared/protocol';
import { recordingTransport } from './outbox.ts';
import { OutboxKeeper } from './outboxKeeper.ts';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromWorker) => scope.postMessage(message);

let origin = scope.location.origin;
let vaultPromise: Promise<Vault> | null = null;
/** The vault key, from the page (unlocked there when a passphrase protects it). */
let vaultKey: CryptoKey | null = null;
let client: FederatedClient | null = null;
let clientTasks: TaskId[] = [];
let welcomed = false;
const personalCache = new Map<string, { weights: Float32Array; personalization: Personalization }>();

function vault(): Promise<Vault> {
  if (!vaultKey) return Promise.reject(new Error('this device has no encryption key yet'));
  vaultPromise ??= Vault.openWithKey(vaultKey).catch((err: unknown) => {
    vaultPromise = null;
    throw err;
  });
  return vaultPromise;
}

const outbox = new OutboxKeeper(vault, (err) => post({ type: 'error', message: `could not keep the outbox: ${err instanceof Error ? err.message : String(err)}` }));

/** The encrypted log as the SDK's DataSource. The page says when rows change. */
class VaultDataSource implements DataSource {
  private v = 0;
  async load(): Promise<DailyLogRow[]> {
    const v = await vault();
    await v.refresh();
    return v.rows();
  }
  version(): number {
    return this.v;
  }
  bump(): void {
    this.v++;
  }
}
const data = new VaultDataSource();

/** What trains here until a fallback is needed. */
const KERNELS = wasmKernelsAvailable() ? 'wasm simd kernels' : 'js kernels';

/**
 * Local training for rounds and personalization, in this worker: the shared fast kernels (wasm SIMD, else JS), the
 * same code the simulator trains with; tfjs on its wasm backend only if those cannot run here, imported then.
 */
const trainer: LocalTrainer = createDeviceTrainer({
  fallback: {
    async train(spec, init, examples, config) {
      const tfjs = await import('./tfjsFallback.ts');
      post({ type: 'backend', ...(await tfjs.loadTfjs()) });
      return tfjs.tfjsFallbackTrainer.train(spec, init, examples, config);
    },
  },
  onFallback: (err) => post({ type: 'error', message: `the fast training kernels cannot run here, training with tfjs instead: ${err instanceof Error ? err.message : String(err)}` }),
});

/**
 * Options for the SDK client. The enrollment secret key signs every message; options the SDK grows later
 * (secure aggregation settings, say) are added here, in one place.
 */
function clientOptions(identity: Identity, tasks: TaskId[]): FederatedClientOptions {
  const transport = recordingTransport(new SocketIoClientTransport(origin), (entry) => {
    outbox.add(entry);
    post({ type: 'outbox', entry });
  });
  return {
    transport,
    clientId: identity.clientId,
    data,
    tasks,
    trainer,
    signingKey: base64ToBytes(identity.secretKey),
  };
}

function connection(state: Extract<FromWorker, { type: 'connection' }>['state'], detail?: string): void {
  post({ type: 'connection', state, tasks: clientTasks, ...(detail ? { detail } : {}) });
}

async function rememberGlobal(task: TaskId): Promise<void> {
  const g = client?.globalModel(task);
  if (!g) return;
  const v = await vault();
  const cached = v.model(task);
  if (cached && cached.round >= g.round) return;
  await v.setModel({ task, round: g.round, inputSize: g.spec.inputSize, labelScale: g.spec.labelScale, model: g.model.settings, weights: floatsToBase64(g.weights), fetchedAt: new Date().toISOString(), source: 'round' });
}

async function recordContribution(c: ContributionRecord): Promise<void> {
  const v = await vault();
  await v.refresh();
  const p = v.participation();
  const recent = [c, ...p.recent.filter((r) => r.roundId !== c.roundId)].slice(0, 20);
  await v.setParticipation({ last: c, recent });
  post({ type: 'contribution', last: c, recent });
}

function onClientEvent(e: ClientEvent): void {
  post({ type: 'clientEvent', event: e });
  switch (e.type) {
    case 'connected':
      if (welcomed) connection('connected');
      break;
    case 'disconnected':
      connection('disconnected', e.reason);
      break;
    case 'serverError':
      if (e.code === 'unauthorized') {
        // Revoked or erased enrollment: retrying would only be refused again.
        stopClient();
        connection('disconnected', 'the team server no longer accepts this device; join again with a new invite');
      }
      break;
    case 'evaluated':
      void rememberGlobal(e.task).catch(() => {});
      break;
    case 'roundEnd':
      if (e.status === 'completed' && e.counted) {
        const last = client?.lastContribution;
        void recordContribution(last ?? { task: e.task, round: e.round, roundId: e.roundId, at: new Date().toISOString() }).catch((err: unknown) => post({ type: 'error', message: String(err) }));
      }
      void rememberGlobal(e.task).catch(() => {});
      break;
    default:
      break;
  }
}

/** What the page last asked for; the worker converges to it (a start may be in progress or waiting for a lock). */
let desired: TaskId[] = [];
let desiredOnline = true;

async function participate(tasks: TaskId[], online: boolean): Promise<void> {
  desired = tasks.filter((t) => (TASK_IDS as readonly string[]).includes(t));
  desiredOnline = online;
  await reconcile();
}

async function reconcile(): Promise<void> {
  if (desired.length === 0 || !desiredOnline) {
    stopClient();
    clientTasks = desired;
    connection(desiredOnline ? 'idle' : 'offline');
    return;
  }
  if (client) {
    if (desired.join() !== clientTasks.join()) {
      clientTasks = desired;
      client.setTasks(desired);
      connection(welcomed ? 'connected' : 'connecting');
    }
    return;
  }
  if (starting) return starting;
  starting = startClient().finally(() => (starting = null));
  await starting;
  // The page may have changed its mind while the client was starting.
  if (client && (desired.length === 0 || !desiredOnline || desired.join() !== clientTasks.join())) await reconcile();
}

let starting: Promise<void> | null = null;
let releaseLock: (() => void) | null = null;

/**
 * One participating context per browser profile: two tabs connecting with the same client id would keep replacing
 * each other's connection. A Web Lock is held while this worker's client runs; other tabs wait for it.
 */
async function takeParticipationLock(): Promise<void> {
  if (releaseLock || !('locks' in navigator)) return;
  const locks = navigator.locks;
  await new Promise<void>((acquired) => {
    const hold = () =>
      new Promise<void>((release) => {
        releaseLock = release;
        acquired();
      });
    void locks.request('huddle-participation', { ifAvailable: true }, (lock) => {
      if (lock) return hold();
      connection('idle', 'another Huddle tab is taking part for this device');
      void locks.request('huddle-participation', hold);
      return undefined;
    });
  });
}

async function startClient(): Promise<void> {
  const v = await vault();
  await v.refresh();
  const identity = v.identity();
  if (!identity) {
    connection('idle', 'not enrolled');
    return;
  }
  await takeParticipationLock();
  if (client) return;
  if (desired.length === 0 || !desiredOnline) {
    releaseLock?.();
    releaseLock = null;
    return;
  }
  clientTasks = desired;
  welcomed = false;
  const c = new FederatedClient(clientOptions(identity, clientTasks));
  client = c;
  c.on(onClientEvent);
  connection('connecting');
  c.start().then(
    () => {
      if (client !== c) return;
      welcomed = true;
      connection('connected');
    },
    (err: unknown) => connection('disconnected', err instanceof Error ? err.message : String(err)),
  );
}

function stopClient(): void {
  if (client) {
    client.stop();
    client = null;
    welcomed = false;
  }
  releaseLock?.();
  releaseLock = null;
}

function fromCache(m: CachedModel): GlobalModel {
  return { task: m.task, round: m.round, spec: { ...modelSpec(m.task, m.inputSize), labelScale: m.labelScale }, model: m.model ?? legacyModelSettings(m.task), weights: base64ToFloats(m.weights), source: m.source, published: m.published ?? null };
}

async function forecast(id: number, download: boolean): Promise<void> {
  const v = await vault();
  await v.refresh();
  const notes: string[] = [];
  const models: Partial<Record<TaskId, GlobalModel>> = {};
  for (const task of TASK_IDS) {
    const candidates: GlobalModel[] = [];
    if (download) {
      try {
        const m = await fetchGlobalModel(origin, task);
        candidates.push(m);
        const cached = v.model(task);
        if (!cached || cached.round <= m.round) {
          await v.setModel({ task, round: m.round, inputSize: m.spec.inputSize, labelScale: m.spec.labelScale, model: m.model, weights: floatsToBase64(m.weights), fetchedAt: new Date().toISOString(), source: 'download', published: m.published ?? null });
        }
      } catch (err) {
        notes.push(`Could not download the ${task} model (${err instanceof Error ? err.message : String(err)}); using the copy on this device if there is one.`);
      }
    }
    const cached = v.model(task);
    if (cached) candidates.push(fromCache(cached));
    const live = client?.globalModel(task);
    if (live) candidates.push({ task, round: live.round, spec: live.spec, model: live.model.settings, weights: live.weights, source: 'round' });
    candidates.sort((a, b) => b.round - a.round);
    // A model adopted from a round has no published quality of its own; a download of the same version may.
    const best = candidates[0];
    const published = best ? candidates.find((c) => c.round === best.round && c.published)?.published ?? null : null;
    if (best) models[task] = { ...best, published };
  }
  const rows = v.rows();
  const result = await computeForecasts({
    rows,
    models,
    train: (spec, init, examples, config) => trainer.train(spec, init, examples, config),
    cache: personalCache,
    dataVersion: `${data.version()}:${rows.length}:${rows[rows.length - 1]?.date ?? ''}`,
  });
  post({ type: 'forecastResult', id, result, modelNotes: notes });
}

/** The planning twin, fitted here on the log this worker reads itself. */
async function plan(id: number, job: PlanJob): Promise<void> {
  const v = await vault();
  await v.refresh();
  // The federation's prior, downloaded when the screen opens and kept sealed for offline use.
  if (job.kind === 'twin' && scope.navigator.onLine) {
    try {
      const fetched = await fetchTwinPrior(origin);
      if (fetched) await v.setTwinPrior(fetched);
    } catch {
      /* offline or no coordinator: the copy on this device, if any */
    }
  }
  post({ type: 'planResult', id, result: runPlanJob(v.rows(), job, v.twinPrior(), v.planned.days()) });
}

scope.onmessage = (ev: MessageEvent<ToWorker>) => {
  const msg = ev.data;
  const fail = (err: unknown) => post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  switch (msg.type) {
    case 'init':
      origin = msg.origin;
      vaultKey = msg.key;
      post({ type: 'ready', backend: KERNELS, wasm: null });
      return;
    case 'participate':
      participate(msg.tasks, msg.online).catch(fail);
      return;
    case 'dataChanged':
      data.bump();
      return;
    case 'forecast':
      forecast(msg.id, msg.download).catch((err: unknown) => post({ type: 'forecastError', id: msg.id, message: err instanceof Error ? err.message : String(err) }));
      return;
    case 'plan':
      plan(msg.id, msg.job).catch((err: unknown) => post({ type: 'planError', id: msg.id, message: err instanceof Error ? err.message : String(err) }));
      return;
    case 'describePolicy':
      post({ type: 'policyLines', id: msg.id, lines: describePolicy(client?.privacyPolicy ?? defaultPrivacyPolicy()) });
      return;
    case 'shutdown':
      stopClient();
      void outbox
        .flushed()
        .then(() => vaultPromise ?? null)
        .then((v) => v?.close())
        .catch(() => {})
        .finally(() => {
          vaultPromise = null;
          post({ type: 'shutdownDone' });
        });
      return;
  }
};
