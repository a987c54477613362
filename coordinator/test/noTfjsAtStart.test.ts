import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const coordinatorDir = join(dirname(fileURLToPath(import.meta.url)), '..');

// A fresh process imports @huddle/coordinator, lists the @tensorflow modules Node has loaded (tfjs is CommonJS, so each
// of its files lands in the require cache), then asks for a network's tfjs files and lists them again.
const script = `
import { createRequire } from 'node:module';
const coordinator = await import('@huddle/coordinator');
const cache = createRequire(import.meta.url).cache;
const tfjs = () => Object.keys(cache).filter((p) => p.includes('@tensorflow'));
const atStart = tfjs();
const { modelSpec, initialWeights } = await import('@huddle/shared/modelCore');
const spec = modelSpec('readiness', 4);
const files = await coordinator.tfjsModelFiles(spec, initialWeights(spec, 1));
console.log(JSON.stringify({ atStart, afterRequest: tfjs().length, format: files.modelJson.format }));
`;

describe('coordinator start-up without tfjs', () => {
  it('importing @huddle/coordinator loads no @tensorflow module; the first tfjs artifact request loads tfjs', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: coordinatorDir, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { atStart: string[]; afterRequest: number; format: string };
    expect(out.atStart).toEqual([]);
    expect(out.afterRequest).toBeGreaterThan(0);
    expect(out.format).toBe('layers-model');
  });
});
