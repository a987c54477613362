import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync, existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskId } from '@huddle/shared/model';
import { createLedger, parseLedger, recordRound, type LedgerEntry, type PrivacyLedger } from '@huddle/shared/privacy';
import type { RoundRecord } from '../engine/roundRecord.ts';
import type { PublishedEvaluation } from '../engine/roundRecord.ts';
import type { PublishedPrior } from '@huddle/shared/twin';
import { silentLogger, type Logger } from '@huddle/shared/util';
import type { TwinPriorRound } from '../engine/prior/twinPriorRecord.ts';
import { priorFile } from './priorFile.ts';
import type { CoordinatorStore, OpenRoundDetails, OpenRoundMarker, TaskCheckpoint, TwinPriorOutcome } from './store.ts';

interface TaskFile {
  round: number;
  weightsFile: string;
  optimizerState: unknown;
  history: RoundRecord[];
  published?: PublishedEvaluation | null;
}

/** Writes to a temporary file, fsyncs, then renames: readers see the old or the new file, never half. */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w');
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** One folder per task: `state.json` is the commit point; weights files are named by round. */
export class FileStore implements CoordinatorStore {
  private readonly prior: ReturnType<typeof priorFile>;

  constructor(
    private readonly dir: string,
    logger: Logger = silentLogger,
  ) {
    mkdirSync(dir, { recursive: true });
    this.prior = priorFile(dir, logger);
  }

  private taskDir(task: TaskId): string {
    const d = join(this.dir, 'tasks', task);
    mkdirSync(d, { recursive: true });
    return d;
  }

  private readTask(task: TaskId): TaskFile | null {
    const path = join(this.taskDir(task), 'state.json');
    if (!existsSync(path)) return null;
    return JSON.parse(readFileSync(path, 'utf8')) as TaskFile;
  }

  loadCheckpoint(task: TaskId): TaskCheckpoint | null {
    const file = this.readTask(task);
    if (!file) return null;
    const bytes = readFileSync(join(this.taskDir(task), file.weightsFile));
    const weights = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    return { task, round: file.round, weights, optimizerState: file.optimizerState, published: file.published ?? null };
  }

  initCheckpoint(checkpoint: TaskCheckpoint): void {
    if (this.readTask(checkpoint.task)) throw new Error(`task ${checkpoint.task} already has a checkpoint`);
    this.write(checkpoint.task, checkpoint, []);
  }

  commitRound(record: RoundRecord, checkpoint: TaskCheckpoint | null): void {
    const file = this.readTask(record.task);
    if (!file) throw new Error(`task ${record.task} has no checkpoint`);
    // Idempotent: a crash after state.json landed but before the open marker was cleared must not count twice.
    if (file.history.some((r) => r.roundId === record.roundId)) return this.clearOpenRound(record.task);
    const history = [...file.history, record];
    if (checkpoint) {
      this.write(record.task, checkpoint, history);
    } else {
      writeFileAtomic(join(this.taskDir(record.task), 'state.json'), JSON.stringify({ ...file, history } satisfies TaskFile));
    }
    this.clearOpenRound(record.task);
  }

  /** The file store's ledger has no round ids and no transaction spanning files: the charge is kept. */
  commitAbandonedWithRefund(record: RoundRecord): void {
    this.commitRound(record, null);
  }

  private write(task: TaskId, checkpoint: TaskCheckpoint, history: RoundRecord[]): void {
    const dir = this.taskDir(task);
    const weightsFile = `weights-r${checkpoint.round}.bin`;
    const w = checkpoint.weights;
    writeFileAtomic(join(dir, weightsFile), new Uint8Array(w.buffer, w.byteOffset, w.byteLength));
    const file: TaskFile = { round: checkpoint.round, weightsFile, optimizerState: checkpoint.optimizerState, history, published: checkpoint.published ?? null };
    writeFileAtomic(join(dir, 'state.json'), JSON.stringify(file));
    for (const name of readdirSync(dir)) {
      if (/^weights-r\d+\.bin$/.test(name) && name !== weightsFile) rmSync(join(dir, name), { force: true });
    }
  }

  history(task: TaskId): RoundRecord[] {
    return this.readTask(task)?.history ?? [];
  }

  /** The charge lands before the marker: a crash between the two can only over-count epsilon, never forget it. */
  markRoundOpen(task: TaskId, roundId: string, round: number, charge?: LedgerEntry | null, details?: OpenRoundDetails): void {
    if (charge) this.chargeLedger(task, charge);
    const marker: OpenRoundMarker = { task, roundId, round, startedAt: new Date().toISOString(), selected: details?.selected ?? [], secureAggregation: details?.secureAggregation ?? false };
    writeFileAtomic(join(this.taskDir(task), 'open-round.json'), JSON.stringify(marker));
  }

  clearOpenRound(task: TaskId): void {
    rmSync(join(this.taskDir(task), 'open-round.json'), { force: true });
  }

  recoverOpenRounds(): OpenRoundMarker[] {
    const tasksDir = join(this.dir, 'tasks');
    if (!existsSync(tasksDir)) return [];
    const open: OpenRoundMarker[] = [];
    for (const task of readdirSync(tasksDir) as TaskId[]) {
      const path = join(tasksDir, task, 'open-round.json');
      if (!existsSync(path)) continue;
      const marker = JSON.parse(readFileSync(path, 'utf8')) as Partial<OpenRoundMarker> & Pick<OpenRoundMarker, 'task' | 'roundId' | 'round' | 'startedAt'>;
      open.push({ selected: [], secureAggregation: false, ...marker });
    }
    return open;
  }

  loadLedger(task: TaskId): PrivacyLedger {
    const path = join(this.taskDir(task), 'ledger.json');
    return existsSync(path) ? parseLedger(JSON.parse(readFileSync(path, 'utf8'))) : createLedger(task);
  }

  chargeLedger(task: TaskId, entry: LedgerEntry): PrivacyLedger {
    const ledger = recordRound(this.loadLedger(task), entry);
    writeFileAtomic(join(this.taskDir(task), 'ledger.json'), JSON.stringify(ledger));
    return ledger;
  }

  loadTwinPrior(): PublishedPrior | null {
    return this.prior.load();
  }

  twinPriorRounds(): TwinPriorRound[] {
    const path = join(this.dir, 'twin-prior-rounds.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { task: TaskId; round: TwinPriorRound }[]).map((r) => r.round) : [];
  }

  /** The record lands before the prior (two files): a crash between them leaves the older prior served. Every charge is kept (no round ids in this ledger), as in commitAbandonedWithRefund. */
  commitTwinPriorRound(task: TaskId, round: TwinPriorRound, outcome: TwinPriorOutcome): TwinPriorRound {
    const path = join(this.dir, 'twin-prior-rounds.json');
    const rows = existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { task: TaskId; round: TwinPriorRound }[]) : [];
    if (rows.some((r) => r.round.roundId === round.roundId)) throw new Error(`twin-prior round ${round.roundId} is already recorded`);
    const stored = { ...round, refunded: false };
    writeFileAtomic(path, JSON.stringify([...rows, { task, round: stored }]));
    if (outcome.published) this.prior.save(outcome.published);
    return stored;
  }

  close(): void {}
}
