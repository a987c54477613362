import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { credentialForToken, ensureAdminCredential, issueCredential } from '../src/auth/credentials.ts';
import { maintenance } from '../src/ops/maintenanceCli.ts';
import { SqliteStore } from '../src/store/sqliteStore.ts';
import { tempDir } from './helpers/tempDir.ts';

describe('coordinator admin-token (offline rotation)', () => {
  it('prints a new admin token once; the old one stops working, analysts keep theirs', () => {
    const d = tempDir();
    try {
      const store = SqliteStore.inDirectory(d.dir);
      const old = ensureAdminCredential(store)!;
      const analyst = issueCredential(store, 'analyst', 'team doctor').token;
      store.close();

      const r = spawnSync(process.execPath, ['--import', 'tsx', 'coordinator/src/cli.ts', 'admin-token', '--data-dir', d.dir], { encoding: 'utf8', timeout: 60_000 });
      expect(r.status).toBe(0);
      expect(r.stderr).toContain('1 admin token(s) revoked');
      const token = r.stdout.trim();
      expect(token).toMatch(/^hdl_[A-Za-z0-9_-]{43}$/);
      expect(r.stderr).not.toContain(token);

      const after = SqliteStore.inDirectory(d.dir);
      try {
        expect(credentialForToken(after, old)).toBeNull();
        expect(credentialForToken(after, token)?.role).toBe('admin');
        expect(credentialForToken(after, analyst)?.role).toBe('analyst');
        expect(after.credentials.countActive('admin')).toBe(1);
        // A later first-start check finds the admin and prints nothing new.
        expect(ensureAdminCredential(after)).toBeNull();
      } finally {
        after.close();
      }
    } finally {
      d.remove();
    }
  });

  it('refuses a directory with no coordinator state', async () => {
    const d = tempDir();
    try {
      const out = { text: '', write: (s: string) => ((out.text += s), true) };
      const err = { text: '', write: (s: string) => ((err.text += s), true) };
      await maintenance('admin-token', ['--data-dir', d.dir], out as never, err as never).then((code) => {
        expect(code).toBe(1);
        expect(err.text).toContain('no enrolled coordinator state');
        expect(out.text).toBe('');
      });
    } finally {
      d.remove();
    }
  });
});
