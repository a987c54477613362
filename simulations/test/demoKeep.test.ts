import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '@huddle/shared/util';
import { runDemoFederation } from '../src/demo/demoFederation.ts';

describe('npm run demo -- --keep', () => {
  it('leaves the federation running with a dashboard and a read-only token that can read rounds but not administer', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'huddle-demo-keep-'));
    const lines: string[] = [];
    const result = await runDemoFederation({
      athletes: 3,
      rounds: 1,
      days: 120,
      seed: 5,
      dataDir: dir,
      port: 0,
      logger: silentLogger,
      clientLogger: silentLogger,
      privacy: { secureAggregation: false, noiseMultiplier: 0, clip: 0.5, delta: 1e-3 },
      onRound: (r, clientsPerRound) => lines.push(`${r.task}:${r.status}:${r.reported.length}/${clientsPerRound}`),
      keep: true,
    });
    try {
      expect(lines).toEqual(['injury:completed:3/3', 'readiness:completed:3/3']);
      const kept = result.kept!;
      expect(kept.dashboardUrl).toBe(`${result.url}/dashboard`);
      expect((await fetch(kept.dashboardUrl)).status).toBe(200);
      const rounds = await fetch(`${result.url}/api/tasks/readiness/rounds`, { headers: { authorization: `Bearer ${kept.analystToken}` } });
      expect(rounds.status).toBe(200);
      expect(JSON.stringify(await rounds.json())).toContain('"status":"completed"');
      const invite = await fetch(`${result.url}/api/invites`, { method: 'POST', headers: { authorization: `Bearer ${kept.analystToken}`, 'content-type': 'application/json' }, body: '{"tasks":["injury"]}' });
      expect(invite.status).toBe(403);
      expect(kept.analystToken).not.toBe(kept.adminToken);
    } finally {
      await result.kept?.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    await expect(fetch(`${result.url}/health`)).rejects.toThrow();
  });
});
