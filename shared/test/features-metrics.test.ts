import { describe, expect, it } from 'vitest';
import {
  baselineOf, baselineZ, daysSinceInjury, ewma, fosterMonotony, fosterStrain, lnRmssdDelta, loadRatio, MONOTONY_CAP,
  restingHrDelta, rollingAcwr, scaledDaysSinceInjury, trailingWindow,
} from '../src/features/index.ts';

// Daily loads of the worked example (AU); day 2 and day 6 are unknown and count as 0.
const LOADS = [500, 0, 0, 600, 700, 400, 0, 800];

describe('load helpers, by hand', () => {
  it('acute EWMA (lambda 2/8 = 0.25), seeded at 0', () => {
    // a0 = .25*500 = 125; a1 = .75*125 = 93.75; a2 = 70.3125; a3 = .25*600 + .75*70.3125 = 150 + 52.734375; ...
    const expected = [125, 93.75, 70.3125, 202.734375, 327.05078125, 345.2880859375, 258.966064453125, 394.22454833984375];
    ewma(LOADS, 2 / 8).forEach((v, t) => expect(v).toBeCloseTo(expected[t]!, 9));
  });

  it('chronic EWMA (lambda 2/29)', () => {
    // c0 = 500*2/29 = 34.4827586; c1 = c0*27/29 = 32.1046373; c2 = 29.8905244; c3 = 600*2/29 + 29.8905244*27/29 = 69.2084193
    const expected = [34.48275862, 32.10463734, 29.89052442, 69.20841928, 112.71128692, 132.52430162, 123.38469461, 170.04781912];
    ewma(LOADS, 2 / 29).forEach((v, t) => expect(v).toBeCloseTo(expected[t]!, 6));
  });

  it('EWMA ratio with the chronic floor of 50 AU', () => {
    expect(loadRatio(394.22454834, 170.04781912)).toBeCloseTo(2.31831581, 6); // day 7: 394.2245 / 170.0478
    expect(loadRatio(125, 34.48275862)).toBe(2.5); // day 0: chronic < 50, so 125 / 50
    expect(loadRatio(0, 0)).toBe(0);
    expect(loadRatio(125, 34.48275862, 0)).toBeCloseTo(3.625, 9); // the twin's exact ratio: no floor
    expect(loadRatio(0, 0, 0)).toBe(0);
  });

  it('coupled rolling 7:28 ACWR, days before the log reading as 0', () => {
    // day 7: last 7 days sum 0+0+600+700+400+0+800 = 2500 -> 357.142857; 28 days sum 3000 -> 107.142857; ratio 3.333333
    expect(rollingAcwr(LOADS, 7)).toBeCloseTo(3.3333333, 6);
    // day 3: 7-day mean 1100/7 = 157.142857; 28-day mean 1100/28 = 39.29 < 50 floor -> 157.142857 / 50
    expect(rollingAcwr(LOADS, 3)).toBeCloseTo(3.1428571, 6);
  });

  it('Foster monotony and strain over a week (sample SD)', () => {
    const week = trailingWindow(LOADS, 7, 7);
    expect(week).toEqual([0, 0, 600, 700, 400, 0, 800]);
    // mean 2500/7 = 357.142857; squared deviations sum 757142.857; /6 -> SD 355.232989; monotony 1.00537638
    expect(fosterMonotony(week)).toBeCloseTo(1.00537638, 7);
    // strain = 2500 * 1.00537638
    expect(fosterStrain(week)).toBeCloseTo(2513.44095708, 5);
  });

  it('defines monotony for a week without variation', () => {
    expect(fosterMonotony([0, 0, 0, 0, 0, 0, 0])).toBe(0);
    expect(fosterMonotony([300, 300, 300, 300, 300, 300, 300])).toBe(MONOTONY_CAP);
    expect(fosterStrain([300, 300, 300, 300, 300, 300, 300])).toBe(2100 * MONOTONY_CAP);
    expect(trailingWindow([5, 6], 1, 4)).toEqual([0, 0, 5, 6]);
  });
});

describe('personal baseline z-score, by hand', () => {
  it('uses the mean and sample SD of the reported values', () => {
    // readiness 7, 6, (gap), 8, 5, 7, 6: mean 39/6 = 6.5; squared deviations 5.5; SD sqrt(5.5/5) = 1.0488088
    const baseline = baselineOf([7, 6, null, 8, 5, 7, 6], 0, 7);
    expect(baseline?.count).toBe(6);
    expect(baseline?.mean).toBeCloseTo(6.5, 12);
    expect(baseline?.sd).toBeCloseTo(1.0488088, 6);
    expect(baselineZ(9, baseline!, 1)).toBeCloseTo(2.3836565, 6); // (9 - 6.5) / 1.0488088
  });

  it('floors the SD and gives 0 without a baseline', () => {
    expect(baselineZ(4, baselineOf([3, 3, 3, 3], 0, 4), 0.5)).toBe(2); // SD 0 -> floor 0.5: (4 - 3) / 0.5
    expect(baselineOf([3, null, 4], 0, 3)).toBeNull(); // only 2 values < 3
    expect(baselineZ(5, null, 0.5)).toBe(0);
    expect(baselineOf([1, 2, 3, 4, 5], -10, 3)?.mean).toBe(2); // window clipped at the start
  });
});

describe('days since injury, by hand', () => {
  it('counts from the latest injury, null before any', () => {
    expect(daysSinceInjury([0, 1, null, 0, 0, 1, 0])).toEqual([null, 0, 1, 2, 3, 0, 1]);
  });

  it('scales as log1p(days) / log(366), capped, with never = 1', () => {
    expect(scaledDaysSinceInjury(0)).toBe(0);
    expect(scaledDaysSinceInjury(6)).toBeCloseTo(0.32966814, 7); // ln 7 / ln 366 = 1.9459101 / 5.9026333
    expect(scaledDaysSinceInjury(365)).toBe(1);
    expect(scaledDaysSinceInjury(5000)).toBe(1);
    expect(scaledDaysSinceInjury(null)).toBe(1);
  });
});

describe('HRV and resting HR against the previous days, by hand', () => {
  it('lnRMSSD delta = ln(today) - mean of ln over the previous 7 days', () => {
    // ln 70 = 4.2484952; mean(ln 60, ln 55, ln 65, ln 50) = (4.0943446 + 4.0073332 + 4.1743873 + 3.9120230) / 4 = 4.0470220
    expect(lnRmssdDelta([null, null, null, 60, 55, 65, 50, 70], 7)).toBeCloseTo(0.20147324, 7);
    // day 8: ln 40 - mean(ln 60, ln 55, ln 65, ln 50, ln 70) = 3.6888795 - 20.4365833 / 5; day 0's 99 is 8 days back, outside
    expect(lnRmssdDelta([99, null, null, 60, 55, 65, 50, 70, 40], 8)).toBeCloseTo(-0.3984372, 7);
    expect(lnRmssdDelta([null, 60, null, 55, 70], 4)).toBeNull(); // fewer than 3 earlier measurements
    expect(lnRmssdDelta([60, 55, 65, null], 3)).toBeNull(); // none today
  });

  it('resting HR delta = today - mean of the previous 7 days', () => {
    expect(restingHrDelta([50, 51, 49, 50, 56], 4)).toBe(6);
    expect(restingHrDelta([50, null, 56], 2)).toBeNull();
  });
});
