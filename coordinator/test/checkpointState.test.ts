import { describe, expect, it } from 'vitest';
import { readCheckpointState } from '../src/engine/checkpointState.ts';

describe('the state kept with a checkpoint', () => {
  it('an older checkpoint without recent rounds or a pass starts both afresh', () => {
    expect(readCheckpointState('readiness', { optimizer: null, clip: 2 }, 1)).toEqual({ optimizer: null, clip: 2, recent: [], pass: [] });
    expect(readCheckpointState('readiness', null, 1.5)).toEqual({ optimizer: null, clip: 1.5, recent: [], pass: [] });
  });

  it('refuses a malformed state and says what is wrong', () => {
    expect(() => readCheckpointState('readiness', { clip: -1 }, 1)).toThrow(/checkpoint of readiness has a malformed state: clip/);
    expect(() => readCheckpointState('injury', { recent: [[1, 'x']] }, 1)).toThrow(/recent\.0\.1/);
    expect(() => readCheckpointState('injury', { pass: [''] }, 1)).toThrow(/pass\.0/);
  });
});
