import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enroll, FederatedClient, SocketIoClientTransport } from '@huddle/client-sdk';
import { CsvFileDataSource, initNodeBackend } from '@huddle/client-sdk/node';
import { defaultTaskConfig, taskModel } from '@huddle/shared/protocol';
import { formatDailyLogCsv, groupByAthlete } from '@huddle/shared/log';
import { createDeviceTrainer, type TaskId } from '@huddle/shared/model';
import type { Logger } from '@huddle/shared/util';
import { modelFiles, startCoordinator, type RoundRecord } from '@huddle/coordinator';
import { generateSyntheticFederation } from '../synthetic/index.ts';

export interface DemoPrivacy {
  secureAggregation: boolean;
  noiseMultiplier: number;
  clip: number;
  delta: number;
}

export interface DemoOptions {
  privacy: DemoPrivacy;
  athletes: number;
  rounds: number;
  days: number;
  seed: number;
  dataDir: string;
  port: number;
  logger: Logger;
  clientLogger: Logger;
  /** Called after each round with its record and the updates the round waited for (selected beyond it are extras). */
  onRound?: (record: RoundRecord, clientsPerRound: number) => void;
  /** Leave the coordinator and the athletes running after the rounds (the result's `kept` stops them). */
  keep?: boolean;
}

export interface KeptDemo {
  /** The operator dashboard. */
  dashboardUrl: string;
  /** A read-only (analyst) token for the dashboard and the REST API, made with the admin token. */
  analystToken: string;
  adminToken: string;
  stop(): Promise<void>;
}

export interface DemoResult {
  records: RoundRecord[];
  url: string;
  /** The coordinator's state (SQLite: settings, enrollments, history, checkpoints, privacy ledger). */
  stateFile: string;
  /** Each task's final global model in tfjs layers format. */
  modelDirs: string[];
  backend: string;
  /** The updates each round waits for: selected clients beyond it are over-selected extras. */
  clientsPerRound: number;
  /** Set with `keep`: the federation still runs. */
  kept?: KeptDemo;
}

/** A coordinator and synthetic athletes as Node clients over socket.io on loopback. */
export async function runDemoFederation(o: DemoOptions): Promise<DemoResult> {
  rmSync(o.dataDir, { recursive: true, force: true });
  const devicesDir = join(o.dataDir, 'devices');
  mkdirSync(devicesDir, { recursive: true });
  const backend = await initNodeBackend(o.clientLogger);
  const rows = generateSyntheticFederation({ athletes: o.athletes, days: o.days, seed: o.seed });
  const byAthlete = groupByAthlete(rows);
  const tasks: TaskId[] = ['injury', 'readiness'];
  const perRound = Math.max(2, Math.ceil(o.athletes * 0.8));
  const running = await startCoordinator({
    port: o.port,
    dataDir: join(o.dataDir, 'coordinator'),
    logger: o.logger,
    security: 'enrolled',
    tasks: tasks.map((task) => {
      const base = defaultTaskConfig(task);
      const p = o.privacy;
      return defaultTaskConfig(task, {
        clientsPerRound: perRound,
        minClients: Math.min(perRound, Math.max(3, Math.ceil(perRound / 2))),
        overSelection: 1.25,
        roundTimeoutMs: 60_000,
        fit: { ...base.fit, clipNorm: p.clip },
        secureAggregation: { ...base.secureAggregation, enabled: p.secureAggregation },
        privacy: {
          ...base.privacy,
          noise: p.noiseMultiplier > 0 ? (p.secureAggregation ? 'distributed' : 'central') : 'none',
          noiseMultiplier: p.noiseMultiplier,
          delta: p.delta,
        },
      });
    }),
  });
  const clients: FederatedClient[] = [];
  const stop = async (): Promise<void> => {
    clients.forEach((c) => c.stop());
    await running.close();
  };
  let kept = false;
  try {
    let i = 0;
    for (const [athleteId, athleteRows] of byAthlete) {
      // Each athlete's log sits in a file on "their device"; only the client reads it.
      const path = join(devicesDir, `athlete-${String(++i).padStart(2, '0')}.csv`);
      writeFileSync(path, formatDailyLogCsv(athleteRows));
      // The operator issues a single-use invite; the device enrolls with a signing key it made itself.
      const invite = (await (await fetch(`${running.url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${running.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ tasks }) })).json()) as { code: string };
      const enrollment = await enroll(running.url, invite.code);
      clients.push(
        new FederatedClient({
          transport: new SocketIoClientTransport(running.url),
          clientId: enrollment.clientId,
          signingKey: enrollment.secretKey,
          data: new CsvFileDataSource(path, athleteId, o.clientLogger),
          tasks,
          trainer: createDeviceTrainer(),
          logger: o.clientLogger,
        }),
      );
    }
    await Promise.all(clients.map((c) => c.start()));
    const records: RoundRecord[] = [];
    for (let r = 0; r < o.rounds; r++) {
      for (const task of tasks) {
        const record = await running.coordinator.runRound(task);
        records.push(record);
        o.onRound?.(record, perRound);
      }
    }
    const modelDirs: string[] = [];
    for (const task of tasks) {
      const state = running.coordinator.taskState(task);
      const files = await modelFiles(state.spec, taskModel(state.config), state.weights);
      const dir = join(o.dataDir, 'models', task);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'model.json'), JSON.stringify(files.modelJson));
      writeFileSync(join(dir, 'weights.bin'), files.weightsBin);
      modelDirs.push(dir);
    }
    const result: DemoResult = { records, url: running.url, stateFile: join(o.dataDir, 'coordinator', 'coordinator.sqlite'), modelDirs, backend, clientsPerRound: perRound };
    if (o.keep) {
      const adminToken = running.adminToken!;
      const issued = await fetch(`${running.url}/api/credentials`, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ note: 'demo dashboard (read-only)' }) });
      if (issued.status !== 201) throw new Error(`could not create an analyst token: HTTP ${issued.status}`);
      const { token } = (await issued.json()) as { token: string };
      kept = true;
      result.kept = { dashboardUrl: `${running.url}/dashboard`, analystToken: token, adminToken, stop: () => stop() };
    }
    return result;
  } finally {
    if (!kept) await stop();
  }
}
