import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig } from '@huddle/shared/protocol';
import { ensureAdminCredential, issueCredential } from '../../src/auth/credentials.ts';
import { Coordinator } from '../../src/engine/coordinator.ts';
import { createApp, type AppAuthOptions } from '../../src/http/app.ts';
import { SqliteStore } from '../../src/store/sqliteStore.ts';
import { tempDir } from './tempDir.ts';

export interface AuthApp {
  url: string;
  store: SqliteStore;
  /** The data directory holding the SQLite file. */
  dataDir: string;
  coordinator: Coordinator;
  adminToken: string;
  analystToken: string;
  /** Fake clock for the app (epoch ms); move it with `clock.now += ...`. */
  clock: { now: number };
  close(): Promise<void>;
}

/** The real express app with identity and roles, over loopback, backed by SQLite in a temp dir. */
export async function startAuthApp(auth: Partial<AppAuthOptions> = {}): Promise<AuthApp> {
  const tmp = tempDir();
  const store = SqliteStore.inDirectory(tmp.dir);
  const coordinator = new Coordinator({ tasks: [defaultTaskConfig('injury'), defaultTaskConfig('readiness')], store, featureCount: FEATURE_COUNT });
  const clock = { now: Date.now() };
  const adminToken = ensureAdminCredential(store)!;
  const analystToken = issueCredential(store, 'analyst', 'tests').token;
  const app = createApp({ coordinator, auth: { store, rateLimits: false, now: () => clock.now, ...auth } });
  const http: Server = createServer(app);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return {
    url,
    store,
    dataDir: tmp.dir,
    coordinator,
    adminToken,
    analystToken,
    clock,
    async close() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      store.close();
      tmp.remove();
    },
  };
}

export interface CallOptions {
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

/** fetch with JSON in and out; `json` is null for empty or non-JSON bodies. */
export async function call(base: string, method: string, path: string, o: CallOptions = {}): Promise<{ status: number; json: any; headers: Headers }> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.token) headers.authorization = `Bearer ${o.token}`;
  if (o.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, ...(o.body !== undefined ? { body: typeof o.body === 'string' ? o.body : JSON.stringify(o.body) } : {}) });
  const text = await res.text();
  const isJson = res.headers.get('content-type')?.includes('json') ?? false;
  return { status: res.status, json: isJson && text ? JSON.parse(text) : null, headers: res.headers };
}
