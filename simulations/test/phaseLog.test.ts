import { describe, expect, it } from 'vitest';
import { mergePhases, notePhase, phaseLogger, type Phases } from '../src/bench/phaseLog.ts';

describe('load bench phase timings', () => {
  it('keeps the first and last time of each step and merges processes by kind, relative to the round start', () => {
    const a: Phases = {};
    notePhase(a, 'fitResult sent', 1_010);
    notePhase(a, 'fitResult sent', 1_050);
    const b: Phases = {};
    notePhase(b, 'fitResult sent', 1_005);
    notePhase(b, 'fitResult sent', 1_020);
    const leader: Phases = { 'round started': [1_001, 1_001] };
    expect(mergePhases(1_000, [{ from: 'clients', phases: a }, { from: 'clients', phases: b }, { from: 'leader', phases: leader }])).toEqual({
      'leader: round started': [1, 1],
      'clients: fitResult sent': [5, 50],
    });
  });

  it('times info lines instead of printing them, tells evaluation cohorts apart, and passes warnings on', () => {
    const warned: string[] = [];
    const base = { info: () => {}, debug: () => {}, warn: (_o: object, m?: string) => void warned.push(m ?? ''), error: () => {} };
    const phases: Phases = {};
    const log = phaseLogger(base, phases);
    log.info({ cohort: 'r1/node-2' }, 'cohort sum ready');
    log.info({ cohort: 'r1/node-2/e' }, 'cohort sum ready');
    log.warn({}, 'lost lease');
    expect(Object.keys(phases).sort()).toEqual(['cohort sum ready', 'cohort sum ready (evaluation)']);
    expect(warned).toEqual(['lost lease']);
  });
});
