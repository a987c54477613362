import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runSimulate, tempDirForFile } from './helpers/runSimulate.ts';

const dir = tempDirForFile('huddle-sweep-');

describe('pnpm simulate sweep', () => {
  it('runs a grid on worker threads and, rerun, recomputes only the missing point', async () => {
    const config = join(dir, 'grid.json');
    writeFileSync(
      config,
      JSON.stringify({ base: { dataset: 'synthetic', athletes: 8, days: 120, rounds: 2, clientsPerRound: 4 }, axes: { seed: [1, 2] }, outDir: 'out', workers: 2 }),
    );
    const first = await runSimulate(['sweep', config]);
    expect(first.stderr).toMatch(/seed=1: computed/);
    expect(first.stderr).toMatch(/seed=2: computed/);
    expect(first.code).toBe(0);
    const out = join(dir, 'out');
    expect(readdirSync(out).sort()).toEqual(['report.html', 'seed=1.json', 'seed=2.json']);
    const keptMtime = statSync(join(out, 'seed=1.json')).mtimeMs;

    rmSync(join(out, 'seed=2.json'));
    writeFileSync(join(out, 'seed=1.json.tmp-1-x'), '{"half": ');
    const second = await runSimulate(['sweep', config]);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/seed=1: reused/);
    expect(second.stderr).toMatch(/seed=2: computed/);
    expect(second.stdout).toMatch(/1 computed, 1 reused, 0 failed/);
    expect(statSync(join(out, 'seed=1.json')).mtimeMs).toBe(keptMtime);

    writeFileSync(join(out, 'seed=1.json'), '{"not": "a result"}');
    const third = await runSimulate(['sweep', config]);
    expect(third.stderr).toMatch(/seed=1: computed/);
    expect(third.stderr).toMatch(/seed=2: reused/);
  });

  it('refuses a malformed sweep file with exit code 2', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ base: {}, axes: {} }));
    const r = await runSimulate(['sweep', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/at least one axis/);
  });
});
