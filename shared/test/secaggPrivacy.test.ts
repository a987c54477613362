import { describe, expect, it } from 'vitest';
import { wordsFromLeBytes } from '../src/secagg/index.ts';
import { clientIds, runToUnmask } from './secaggHarness.ts';

/**
 * The server's view of one client's masked vector must not depend on that client's input. We run many fresh rounds
 * with the target's input all zeros, and as many with it all 0x7fffffff (others random), and compare what the server
 * receives. Thresholds sit at a false-alarm rate near 1e-6 per statistic; the same statistics applied to the raw
 * inputs exceed them by orders of magnitude, so the test has power.
 */
const D = 1024;
const RUNS = 12;
const TARGET = clientIds(3)[0]!;

/** Upper 1 - p quantile of chi-square(df) via Wilson-Hilferty; z = 4.75 is p ~ 1e-6. */
const chiSquareCritical = (df: number, z = 4.75) => df * (1 - 2 / (9 * df) + z * Math.sqrt(2 / (9 * df))) ** 3;

function byteHistogram(chunks: Uint8Array[]): number[] {
  const h = new Array<number>(256).fill(0);
  for (const c of chunks) for (const b of c) h[b]!++;
  return h;
}

function chiSquareUniform(h: number[]): number {
  const total = h.reduce((a, b) => a + b, 0);
  const e = total / h.length;
  return h.reduce((acc, o) => acc + (o - e) ** 2 / e, 0);
}

function chiSquareHomogeneity(a: number[], b: number[]): number {
  let x = 0;
  for (let i = 0; i < a.length; i++) if (a[i]! + b[i]! > 0) x += (a[i]! - b[i]!) ** 2 / (a[i]! + b[i]!);
  return x;
}

function ksTwoSample(a: Float64Array, b: Float64Array): number {
  a.sort();
  b.sort();
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const x = Math.min(a[i]!, b[j]!);
    while (i < a.length && a[i]! <= x) i++;
    while (j < b.length && b[j]! <= x) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  return d;
}

async function serverViews(input: Uint32Array): Promise<Uint8Array[]> {
  const views: Uint8Array[] = [];
  for (let r = 0; r < RUNS; r++) {
    const trace = await runToUnmask({ n: 3, vectorLength: D, inputs: [input] });
    views.push(trace.masked.find((m) => m.clientId === TARGET)!.masked);
  }
  return views;
}

const asUnit = (chunks: Uint8Array[]) => Float64Array.from(chunks.flatMap((c) => Array.from(wordsFromLeBytes(c))), (w) => w / 2 ** 32);

describe('secagg privacy: the masked vector is independent of the input', () => {
  it('zeros vs 0x7fffffff inputs give indistinguishable, uniform masked bytes', async () => {
    const zeros = new Uint32Array(D);
    const large = new Uint32Array(D).fill(0x7fffffff);
    const viewZeros = await serverViews(zeros);
    const viewLarge = await serverViews(large);

    const critical = chiSquareCritical(255);
    const hZ = byteHistogram(viewZeros);
    const hL = byteHistogram(viewLarge);
    expect(chiSquareUniform(hZ)).toBeLessThan(critical);
    expect(chiSquareUniform(hL)).toBeLessThan(critical);
    expect(chiSquareHomogeneity(hZ, hL)).toBeLessThan(critical);

    const words = RUNS * D;
    const ksCritical = Math.sqrt(-0.5 * Math.log(1e-6 / 2)) * Math.sqrt(2 / words);
    expect(ksTwoSample(asUnit(viewZeros), asUnit(viewLarge))).toBeLessThan(ksCritical);

    // Mean of words / 2^32 per condition: uniform has mean 1/2 and sd sqrt(1/12 / words); 6 sd.
    for (const v of [viewZeros, viewLarge]) {
      const u = asUnit(v);
      const mean = u.reduce((a, b) => a + b, 0) / u.length;
      expect(Math.abs(mean - 0.5)).toBeLessThan(6 * Math.sqrt(1 / 12 / words));
    }

    // Power check: the same statistics on the unmasked inputs.
    const rawZ = byteHistogram(Array.from({ length: RUNS }, () => new Uint8Array(zeros.buffer)));
    const rawL = byteHistogram(Array.from({ length: RUNS }, () => new Uint8Array(large.buffer)));
    expect(chiSquareHomogeneity(rawZ, rawL)).toBeGreaterThan(100 * critical);
  });

  it('two clients with identical inputs send unrelated masked vectors', async () => {
    const x = new Uint32Array(D).fill(12345);
    const trace = await runToUnmask({ n: 3, vectorLength: D, inputs: [x, x, x] });
    const [a, b] = trace.masked.map((m) => wordsFromLeBytes(m.masked));
    let equal = 0;
    for (let i = 0; i < D; i++) if (a![i] === b![i] || a![i] === x[i]) equal++;
    expect(equal).toBe(0);
  });
});
