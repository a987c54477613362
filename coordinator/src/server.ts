import { createServer, type Server as HttpServer } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { FEATURE_COUNT } from '@huddle/shared/features';
import { defaultTaskConfig, type TaskConfig } from '@huddle/shared/protocol';
import type { TaskId } from '@huddle/shared/model';
import { silentLogger, type Logger } from '@huddle/shared/util';
import { Coordinator } from './engine/coordinator.ts';
import { createApp } from './http/app.ts';
import { FileStore } from './store/fileStore.ts';
import type { CoordinatorStore } from './store/store.ts';
import { SocketIoServerTransport } from './transport/socketIoServer.ts';

export interface StartOptions {
  port: number;
  host?: string;
  dataDir: string;
  tasks?: (TaskConfig | TaskId)[];
  logger?: Logger;
  store?: CoordinatorStore;
  maxMessageBytes?: number;
  tls?: { certPath: string; keyPath: string };
  extend?: (app: Express) => void;
}

export interface RunningCoordinator {
  coordinator: Coordinator;
  http: HttpServer;
  transport: SocketIoServerTransport;
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startCoordinator(options: StartOptions): Promise<RunningCoordinator> {
  const logger = options.logger ?? silentLogger;
  const tasks = (options.tasks ?? ['injury', 'readiness']).map((t) => (typeof t === 'string' ? defaultTaskConfig(t) : t));
  const coordinator = new Coordinator({
    tasks,
    store: options.store ?? new FileStore(options.dataDir),
    featureCount: FEATURE_COUNT,
    logger,
    ...(options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {}),
  });
  const app = createApp({ coordinator, ...(options.extend ? { extend: options.extend } : {}) });
  const http = options.tls
    ? createHttpsServer({ cert: readFileSync(options.tls.certPath), key: readFileSync(options.tls.keyPath) }, app)
    : createServer(app);
  const transport = new SocketIoServerTransport(http, options.maxMessageBytes ? { maxMessageBytes: options.maxMessageBytes } : {});
  await coordinator.attach(transport);
  await new Promise<void>((resolve, reject) => {
    http.once('error', reject);
    http.listen(options.port, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (http.address() as AddressInfo).port;
  const url = `${options.tls ? 'https' : 'http'}://${options.host ?? '127.0.0.1'}:${port}`;
  logger.info({ url, dataDir: options.dataDir }, 'coordinator listening');
  return {
    coordinator,
    http,
    transport,
    url,
    port,
    async close() {
      await coordinator.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
