import { resolve } from 'node:path';
import { Command } from 'commander';
import { DataDirLockedError } from '../store/dataDirLock.ts';
import { rotateAdminToken } from './adminToken.ts';
import { backupDataDir, restoreDataDir } from './backup.ts';

export const MAINTENANCE_VERBS = ['backup', 'restore', 'admin-token'] as const;
export type MaintenanceVerb = (typeof MAINTENANCE_VERBS)[number];

export function isMaintenanceVerb(word: string | undefined): word is MaintenanceVerb {
  return (MAINTENANCE_VERBS as readonly string[]).includes(word ?? '');
}

const DESCRIPTIONS: Record<MaintenanceVerb, string> = {
  backup: 'consistent copy of the coordinator state, safe while it runs',
  restore: 'replace the state by a verified backup; refused while a coordinator runs on the directory',
  'admin-token': 'revoke every admin token and print a new one (lost token); refused while a coordinator runs',
};

/** `coordinator backup|restore|admin-token --data-dir D ...`; returns the exit code. */
export async function maintenance(verb: MaintenanceVerb, rest: string[], out = process.stdout, err = process.stderr): Promise<number> {
  const program = new Command(`coordinator ${verb}`).description(DESCRIPTIONS[verb]).requiredOption('--data-dir <dir>', 'the coordinator data directory').exitOverride();
  if (verb === 'backup') program.option('--out <file>', 'where to write the backup (default: huddle-backup-<time>.sqlite here)');
  if (verb === 'restore') program.requiredOption('--from <file>', 'the backup to restore');
  try {
    program.parse(rest, { from: 'user' });
  } catch (e) {
    return (e as { exitCode?: number }).exitCode === 0 ? 0 : 2;
  }
  const o = program.opts<{ dataDir: string; out?: string; from?: string }>();
  const dataDir = resolve(o.dataDir);
  try {
    switch (verb) {
      case 'backup': {
        const file = resolve(o.out ?? `huddle-backup-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
        await backupDataDir(dataDir, file);
        out.write(`backup written to ${file}\n`);
        return 0;
      }
      case 'restore': {
        const from = resolve(o.from!);
        const { replaced } = restoreDataDir(dataDir, from);
        out.write(`restored ${from} into ${dataDir}${replaced ? `; the state it replaced is kept at ${replaced}` : ''}\n`);
        return 0;
      }
      case 'admin-token': {
        const { token, revoked } = rotateAdminToken(dataDir);
        err.write(`${revoked} admin token(s) revoked. New admin token (shown once, store it safely):\n`);
        out.write(`${token}\n`);
        return 0;
      }
      default: {
        const never: never = verb;
        throw new Error(`unknown maintenance command ${String(never)}`);
      }
    }
  } catch (e) {
    err.write(`coordinator ${verb}: ${(e as Error).message}\n`);
    return e instanceof DataDirLockedError ? 3 : 1;
  }
}
