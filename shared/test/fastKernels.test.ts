import { describe, expect, it } from 'vitest';
import { ACT_LINEAR, ACT_RELU, ACT_SIGMOID } from '../src/model/fastNet.ts';
import { jsKernels } from '../src/model/fastKernelsJs.ts';
import { wasmKernels } from '../src/model/fastKernelsWasm.ts';
import { Prng } from '../src/random/prng.ts';

/**
 * The SIMD kernels against the plain JS ones, kernel by kernel, on shapes that reach every path: row pairs and an odd
 * last row, 16- and 4-column blocks and scalar tails, input pairs and an odd last input, one output unit.
 */
describe('wasm SIMD kernels equal the JS kernels on every block path', () => {
  const FLOATS = 1 << 15;
  const at = { a: 0, w: 4096, b: 8192, z: 9216, d: 13312, gw: 17408, gb: 21504, da: 22528 };
  const wasm = wasmKernels(FLOATS);
  const js = new Float32Array(FLOATS);
  const jk = jsKernels(js);

  it('has WebAssembly SIMD here', () => expect(wasm).not.toBeNull());

  const shapes: [number, number, number][] = [];
  for (const rows of [1, 2, 3, 32, 33]) for (const nin of [1, 2, 5, 16, 17, 48]) for (const nout of [1, 3, 4, 16, 17, 36]) shapes.push([rows, nin, nout]);

  it.each([ACT_LINEAR, ACT_RELU, ACT_SIGMOID])('forward, gradWeights and backInput agree (activation %i)', (act) => {
    const { m, kernels: wk } = wasm!;
    const rng = new Prng(act + 1);
    let worst = 0;
    for (const [rows, nin, nout] of shapes) {
      for (let i = 0; i < FLOATS; i++) js[i] = m[i] = Math.fround(rng.normal());
      // Layer inputs after a sigmoid lie in (0, 1); relu inputs are non-negative with some exact zeros.
      if (act !== ACT_LINEAR) for (let i = at.a; i < at.a + rows * nin; i++) js[i] = m[i] = act === ACT_RELU ? Math.max(0, m[i]!) : 1 / (1 + Math.exp(-m[i]!));
      wk.forward(at.a, at.w, at.b, at.z, rows, nin, nout, act);
      jk.forward(at.a, at.w, at.b, at.z, rows, nin, nout, act);
      wk.gradWeights(at.a, at.d, at.gw, at.gb, rows, nin, nout);
      jk.gradWeights(at.a, at.d, at.gw, at.gb, rows, nin, nout);
      wk.backInput(at.d, at.w, at.a, at.da, rows, nin, nout, act);
      jk.backInput(at.d, at.w, at.a, at.da, rows, nin, nout, act);
      const regions: [number, number][] = [[at.z, rows * nout], [at.gw, nin * nout], [at.gb, nout], [at.da, rows * nin]];
      for (const [start, n] of regions) {
        for (let i = start; i < start + n; i++) {
          // Sums of up to 48 products of unit normals: float32 accumulation differs from float64 by well under 1e-4.
          const diff = Math.abs(m[i]! - js[i]!);
          worst = Math.max(worst, diff);
          if (diff > 1e-4) expect.fail(`rows ${rows}, nin ${nin}, nout ${nout}: float ${i} is ${m[i]} (wasm) and ${js[i]} (js)`);
        }
      }
      // Nothing outside the outputs was written.
      for (let i = at.da + rows * nin; i < FLOATS; i++) if (!Object.is(m[i], js[i])) expect.fail(`float ${i} beyond the outputs changed`);
    }
    expect(worst).toBeGreaterThan(0);
  });

  it.each([1, 10, 0.1])('gather copies the ordered rows and divides labels by %d exactly as JS does', (scale) => {
    const { m, kernels: wk } = wasm!;
    const rng = new Prng(99);
    for (const [rows, nin] of [[1, 1], [7, 5], [32, 48], [33, 17]] as const) {
      const n = rows + 3;
      const x = 16;
      const order = x + n * nin + 4;
      const y = order + n + 4;
      const dst = y + n + 4;
      const dstY = dst + rows * nin + 4;
      for (let i = 0; i < FLOATS; i++) js[i] = m[i] = Math.fround(rng.normal());
      const shuffled = Array.from({ length: n }, (_, i) => i).sort(() => rng.next() - 0.5);
      new Uint32Array(m.buffer, m.byteOffset + order * 4, n).set(shuffled);
      new Uint32Array(js.buffer, order * 4, n).set(shuffled);
      wk.gather(x, order, y, dst, dstY, rows, nin, scale);
      jk.gather(x, order, y, dst, dstY, rows, nin, scale);
      for (let r = 0; r < rows; r++) {
        for (let k = 0; k < nin; k++) expect(m[dst + r * nin + k]).toBe(m[x + shuffled[r]! * nin + k]);
        expect(m[dstY + r]).toBe(Math.fround(m[y + shuffled[r]!]! / scale));
      }
      for (let i = 0; i < FLOATS; i++) if (!Object.is(m[i], js[i])) expect.fail(`rows ${rows}, nin ${nin}: float ${i} differs`);
    }
  });
});
