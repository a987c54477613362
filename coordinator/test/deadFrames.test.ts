import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DeadFramePacer, majorCollection } from '../src/transport/deadFrames.ts';

const MB = 1 << 20;

describe('DeadFramePacer pacing', () => {
  it('collects once ArrayBuffers grew past the threshold above their low point, then waits out the cooldown', () => {
    let arrayBuffers = 10 * MB;
    let collected = 0;
    const pacer = new DeadFramePacer({ checkEveryBytes: MB, growthBytes: 8 * MB, cooldownBytes: 4 * MB, arrayBuffers: () => arrayBuffers, collect: () => collected++ });
    for (let i = 0; i < 8; i++) {
      arrayBuffers += MB;
      pacer.note(MB);
    }
    expect(collected).toBe(0);
    arrayBuffers += MB;
    pacer.note(MB);
    expect(collected).toBe(1);
    // Still high right after: the cooldown and the fresh low point keep it from collecting again.
    for (let i = 0; i < 3; i++) pacer.note(MB);
    expect(collected).toBe(1);
    arrayBuffers = 12 * MB;
    pacer.note(MB);
    arrayBuffers = 21 * MB;
    pacer.note(MB);
    expect(collected).toBe(2);
    expect(pacer.collections).toBe(2);
  });

  it('checks memory only once per checkEveryBytes of frames', () => {
    let reads = 0;
    const pacer = new DeadFramePacer({ checkEveryBytes: 4 * MB, arrayBuffers: () => (reads++, 0), collect: null });
    for (let i = 0; i < 64; i++) pacer.note(MB / 4);
    expect(reads).toBe(4);
  });
});

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function burst(mode: 'on' | 'off'): { peakMb: number; collections: number; junk: number } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'coordinator/test/fixtures/deadFramesBurst.ts', mode], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('DeadFramePacer on V8', () => {
  it('reaches V8 gc() without a command-line flag', () => {
    expect(majorCollection()).toBeTypeOf('function');
  });

  it('keeps promoted dead frames well below what V8 alone lets pile up', () => {
    const alone = burst('off');
    const paced = burst('on');
    expect(alone.collections).toBe(0);
    expect(paced.collections).toBeGreaterThan(0);
    expect(paced.junk).toBe(6000 * 400);
    // 12 MB in flight + the 24 MB threshold + what arrives while marking runs.
    expect(paced.peakMb).toBeLessThan(55);
    expect(alone.peakMb - paced.peakMb).toBeGreaterThan(20);
  });
});
