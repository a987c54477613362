import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { enroll, FederatedClient, SocketIoClientTransport } from '@huddle/client-sdk';
import { CsvFileDataSource, initNodeBackend } from '@huddle/client-sdk/node';
import { defaultTaskConfig, taskModel } from '@huddle/shared/protocol';
import { formatDailyLogCsv, groupByAthlete } from '@huddle/shared/log';
import { tfjsTrainer, type TaskId } from '@huddle/shared/model';
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
  onRound?: (record: RoundRecord) => void;
}

export interface DemoResult {
  records: RoundRecord[];
  url: string;
  /** The coordinator's state (SQLite: settings, enrollments, history, checkpoints, privacy ledger). */
  stateFile: string;
  /** Each task's final global model in tfjs layers format. */
  modelDirs: string[];
  backend: string;
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
          trainer: tfjsTrainer,
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
        o.onRound?.(record);
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
    return { records, url: running.url, stateFile: join(o.dataDir, 'coordinator', 'coordinator.sqlite'), modelDirs, backend };
  } finally {
    clients.forEach((c) => c.stop());
    await running.close();
  }
}
