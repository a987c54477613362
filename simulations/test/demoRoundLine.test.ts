import { describe, expect, it } from 'vitest';
import { participationText } from '../src/demo/roundLine.ts';

const ids = (n: number, prefix = 'c') => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

describe('the demo round line', () => {
  it('calls over-selected clients beyond the round target extras, not dropouts', () => {
    expect(participationText({ selected: ids(10), reported: ids(8) }, 8)).toBe('8 of 10 selected reported (2 extras discarded)');
  });

  it('counts only a shortfall below the target as dropped', () => {
    expect(participationText({ selected: ids(10), reported: ids(7) }, 8)).toBe('7 of 10 selected reported (1 dropped, 2 extras discarded)');
    expect(participationText({ selected: ids(8), reported: ids(6) }, 8)).toBe('6 of 8 selected reported (2 dropped)');
  });

  it('says nothing more when everyone selected was needed and reported', () => {
    expect(participationText({ selected: ids(8), reported: ids(8) }, 8)).toBe('8 of 8 selected reported');
    expect(participationText({ selected: ids(9), reported: ids(8) }, 8)).toBe('8 of 9 selected reported (1 extra discarded)');
  });
});
