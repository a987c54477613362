import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import nacl from 'tweetnacl';
import { FederatedClient, InMemoryDataSource, SocketIoClientTransport } from '@huddle/client-sdk';
import { initNodeBackend } from '@huddle/client-sdk/node';
import { serveWebApp, startCoordinator, type Coordinator, type RunningCoordinator } from '@huddle/coordinator';
import type { DailyLogRow } from '@huddle/shared/log';
import { tfjsTrainer, type TaskId } from '@huddle/shared/model';
import type { TaskConfig } from '@huddle/shared/protocol';
import { SqliteStore } from '../../../coordinator/src/store/sqliteStore.ts';

export { WEB_APP_CSP as WEB_CLIENT_CSP } from '@huddle/coordinator';

export interface NodeAthlete {
  clientId: string;
  client: FederatedClient;
}

export interface WebFederation {
  url: string;
  running: RunningCoordinator;
  coordinator: Coordinator;
  store: SqliteStore;
  /** The coordinator's data directory (its SQLite file is `coordinator.sqlite` there). */
  dataDir: string;
  adminToken: string;
  nodeClients: NodeAthlete[];
  /** Errors thrown by HTTP routes (the app answers them with 500). */
  serverErrors: string[];
  /** Creates an invite through the admin API. */
  invite(tasks?: TaskId[]): Promise<{ id: string; code: string; joinUrl: string }>;
  /** The client id an invite was redeemed for (admin API), or null. */
  clientIdOfInvite(inviteId: string): Promise<string | null>;
  close(): Promise<void>;
}

async function json(res: Response): Promise<any> {
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

export interface WebFederationOptions {
  tasks: TaskConfig[];
  nodeAthletes: DailyLogRow[][];
  /** Serve the built app with `serveWebApp` (strict CSP) from this directory... */
  dist?: string;
  /** ...or with the coordinator's own `webAppDir` option. */
  webAppDir?: string;
}

/**
 * The coordinator as deployed (`startCoordinator` in enrolled mode: SQLite, invites, signed client messages, role-checked
 * REST, socket.io limits) on loopback, serving the built web client. Plus Node athletes enrolled through the same REST
 * endpoints and signing their messages.
 */
export async function startWebFederation(o: WebFederationOptions): Promise<WebFederation> {
  await initNodeBackend();
  const dataDir = mkdtempSync(join(tmpdir(), 'huddle-web-'));
  const store = SqliteStore.inDirectory(dataDir);
  const serverErrors: string[] = [];
  const running = await startCoordinator({
    port: 0,
    dataDir,
    security: 'enrolled',
    store,
    tasks: o.tasks,
    ...(o.webAppDir ? { webAppDir: o.webAppDir } : {}),
    extend: (a) => {
      if (o.dist) serveWebApp(o.dist)(a);
      // Errors thrown by any route above are recorded for the test, then answered by the app's own handler.
      a.use((err: unknown, _req: express.Request, _res: express.Response, next: express.NextFunction) => {
        serverErrors.push(err instanceof Error ? (err.stack ?? err.message) : String(err));
        next(err);
      });
    },
  });
  const adminToken = running.adminToken;
  if (!adminToken) throw new Error('an enrolled coordinator prints its admin token at first start');
  const url = running.url;
  const admin = { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' };
  const taskIds = o.tasks.map((t) => t.task);

  const invite = async (tasks: TaskId[] = taskIds) =>
    json(await fetch(`${url}/api/invites`, { method: 'POST', headers: admin, body: JSON.stringify({ tasks, expiresInHours: 1 }) })) as Promise<{ id: string; code: string; joinUrl: string }>;

  const nodeClients: NodeAthlete[] = [];
  for (const rows of o.nodeAthletes) {
    const keys = nacl.sign.keyPair();
    const { code } = await invite();
    const enrolled = (await json(
      await fetch(`${url}/api/enroll`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ inviteCode: code, publicKey: Buffer.from(keys.publicKey).toString('base64') }) }),
    )) as { clientId: string };
    const client = new FederatedClient({
      transport: new SocketIoClientTransport(url, { reconnection: false }),
      clientId: enrolled.clientId,
      data: new InMemoryDataSource(rows),
      tasks: taskIds,
      trainer: tfjsTrainer,
      signingKey: keys.secretKey,
    });
    await client.start();
    nodeClients.push({ clientId: enrolled.clientId, client });
  }

  return {
    url,
    running,
    coordinator: running.coordinator,
    store,
    dataDir,
    adminToken,
    nodeClients,
    serverErrors,
    invite,
    async clientIdOfInvite(id) {
      const list = (await json(await fetch(`${url}/api/invites`, { headers: admin }))) as { id: string; clientId: string | null }[];
      return list.find((i) => i.id === id)?.clientId ?? null;
    },
    async close() {
      for (const n of nodeClients) n.client.stop();
      await running.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
