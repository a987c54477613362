import { describe, expect, it } from 'vitest';
import { PendingWork } from '../src/sim/pendingWork.ts';
import { parseStragglers, formatStragglers } from '../src/sim/stragglers.ts';
import { VirtualClock } from '../src/sim/virtualClock.ts';

const tick = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('virtual clock', () => {
  it('fires in (time, replies-before-deadlines, tiebreak) order, only once outstanding work is held', async () => {
    const work = new PendingWork();
    const clock = new VirtualClock({ start: 1000, canAdvance: () => work.settled });
    work.onChange(() => clock.poke());
    const fired: string[] = [];
    const key = PendingWork.key('c1', 'fit', 'r1');
    work.expect(key);
    clock.setTimer(50, () => fired.push(`deadline@${clock.now()}`));
    clock.schedule(50, 0, 2, () => fired.push(`b@${clock.now()}`));
    clock.schedule(50, 0, 1, () => fired.push(`a@${clock.now()}`));
    clock.schedule(10, 0, 9, () => fired.push(`early@${clock.now()}`));
    for (let i = 0; i < 5; i++) await tick();
    expect(fired).toEqual([]);
    work.hold(key);
    for (let i = 0; i < 10; i++) await tick();
    expect(fired).toEqual(['early@1010', 'a@1050', 'b@1050', 'deadline@1050']);
    expect(work.outstanding).toBe(0);
    work.release(key);
    expect(work.settled).toBe(false);
    work.arrived(key);
    expect(work.settled).toBe(true);
    clock.close();
  });

  it('lets a cancelled timer never fire', async () => {
    const clock = new VirtualClock({ start: 0, canAdvance: () => true });
    const fired: number[] = [];
    const cancel = clock.setTimer(5, () => fired.push(5));
    clock.setTimer(7, () => fired.push(7));
    cancel();
    for (let i = 0; i < 5; i++) await tick();
    expect(fired).toEqual([7]);
    clock.close();
  });
});

describe('straggler models', () => {
  it('parses the documented syntax and refuses anything else', () => {
    for (const spec of ['none', 'exp:2000', 'lognormal:7.5,0.8']) expect(formatStragglers(parseStragglers(spec))).toBe(spec);
    for (const bad of ['exp', 'exp:-1', 'exp:1,2', 'lognormal:1', 'lognormal:1,-1', 'uniform:3', '']) expect(() => parseStragglers(bad)).toThrow(/not one of/);
  });
});
