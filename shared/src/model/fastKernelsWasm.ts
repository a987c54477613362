import { ACT_RELU, ACT_SIGMOID } from './fastNet.ts';
import { jsKernels, type FastKernels } from './fastKernelsJs.ts';
import { assembleModule, F32, F64, I32, V128, w, type Code, type FunctionDef } from './wasmAssembler.ts';

const { get, set, i32, add, mul, shl, ltS, fload, fstore, vload, vstore, vzero, splat, vadd, vmul } = w;
const inc = (x: number, by: Code | number): Code => set(x, add(get(x), typeof by === 'number' ? i32(by) : by));
/** j + width <= n */
const fits = (j: number, width: number, n: number): Code => ltS(add(get(j), i32(width - 1)), get(n));
const hsum = (v: Code): Code => w.fadd(w.fadd(w.lane(v, 0), w.lane(v, 1)), w.fadd(w.lane(v, 2), w.lane(v, 3)));

/** z[r, :] = relu?(a[r, :] W + b); pointers in bytes. Column blocks of 8 and 4 lanes, then scalars. */
function forward(): FunctionDef {
  const [a, wt, b, z, rows, nin, nout, relu] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [r, j, ap, wp, aend, arow, zrow, strideW] = [8, 9, 10, 11, 12, 13, 14, 15];
  const [acc0, acc1, s] = [16, 17, 18];
  const sf = 19;
  const act = (v: number): Code => w.if(get(relu), [set(v, w.vpmax(vzero(), get(v)))]);
  const kLoop = (...body: Code[]): Code =>
    w.seq(set(ap, get(arow)), set(wp, add(get(wt), shl(get(j), i32(2)))), w.while(ltS(get(ap), get(aend)), ...body, inc(ap, 4), inc(wp, get(strideW))));
  const col = (offset: number): Code => add(get(zrow), shl(get(j), i32(2)));
  const bias = (): Code => add(get(b), shl(get(j), i32(2)));
  const body = w.seq(
    set(strideW, shl(get(nout), i32(2))),
    set(arow, get(a)),
    set(zrow, get(z)),
    set(r, i32(0)),
    w.while(
      ltS(get(r), get(rows)),
      set(aend, add(get(arow), shl(get(nin), i32(2)))),
      set(j, i32(0)),
      w.while(
        fits(j, 8, nout),
        set(acc0, vzero()),
        set(acc1, vzero()),
        kLoop(
          set(s, splat(fload(get(ap)))),
          set(acc0, vadd(get(acc0), vmul(get(s), vload(get(wp))))),
          set(acc1, vadd(get(acc1), vmul(get(s), vload(get(wp), 16)))),
        ),
        set(acc0, vadd(get(acc0), vload(bias()))),
        set(acc1, vadd(get(acc1), vload(bias(), 16))),
        act(acc0),
        act(acc1),
        vstore(col(0), get(acc0)),
        vstore(col(0), get(acc1), 16),
        inc(j, 8),
      ),
      w.while(
        fits(j, 4, nout),
        set(acc0, vzero()),
        kLoop(set(acc0, vadd(get(acc0), vmul(splat(fload(get(ap))), vload(get(wp)))))),
        set(acc0, vadd(get(acc0), vload(bias()))),
        act(acc0),
        vstore(col(0), get(acc0)),
        inc(j, 4),
      ),
      w.while(
        ltS(get(j), get(nout)),
        set(sf, w.f32(0)),
        kLoop(set(sf, w.fadd(get(sf), w.fmul(fload(get(ap)), fload(get(wp)))))),
        set(sf, w.fadd(get(sf), fload(bias()))),
        w.if(get(relu), [set(sf, w.select(get(sf), w.f32(0), w.fgt(get(sf), w.f32(0))))]),
        fstore(col(0), get(sf)),
        inc(j, 1),
      ),
      set(arow, get(aend)),
      inc(zrow, get(strideW)),
      inc(r, 1),
    ),
  );
  return { name: 'forward', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, F32], body };
}

/** gw[k, :] = sum_r a[r, k] d[r, :];  gb = sum_r d[r, :]. */
function gradWeights(): FunctionDef {
  const [a, d, gw, gb, rows, nin, nout] = [0, 1, 2, 3, 4, 5, 6];
  const [k, j, r, ap, dp, strideA, strideD, gp] = [7, 8, 9, 10, 11, 12, 13, 14];
  const [acc0, acc1, s] = [15, 16, 17];
  const sf = 18;
  const rLoop = (...body: Code[]): Code =>
    w.seq(
      set(ap, add(get(a), shl(get(k), i32(2)))),
      set(dp, add(get(d), shl(get(j), i32(2)))),
      set(r, i32(0)),
      w.while(ltS(get(r), get(rows)), ...body, inc(ap, get(strideA)), inc(dp, get(strideD)), inc(r, 1)),
    );
  const out = (): Code => add(get(gp), shl(get(j), i32(2)));
  const body = w.seq(
    set(strideA, shl(get(nin), i32(2))),
    set(strideD, shl(get(nout), i32(2))),
    set(k, i32(0)),
    w.while(
      ltS(get(k), get(nin)),
      set(gp, add(get(gw), mul(get(k), get(strideD)))),
      set(j, i32(0)),
      w.while(
        fits(j, 8, nout),
        set(acc0, vzero()),
        set(acc1, vzero()),
        rLoop(
          set(s, splat(fload(get(ap)))),
          set(acc0, vadd(get(acc0), vmul(get(s), vload(get(dp))))),
          set(acc1, vadd(get(acc1), vmul(get(s), vload(get(dp), 16)))),
        ),
        vstore(out(), get(acc0)),
        vstore(out(), get(acc1), 16),
        inc(j, 8),
      ),
      w.while(
        fits(j, 4, nout),
        set(acc0, vzero()),
        rLoop(set(acc0, vadd(get(acc0), vmul(splat(fload(get(ap))), vload(get(dp)))))),
        vstore(out(), get(acc0)),
        inc(j, 4),
      ),
      w.while(
        ltS(get(j), get(nout)),
        set(sf, w.f32(0)),
        rLoop(set(sf, w.fadd(get(sf), w.fmul(fload(get(ap)), fload(get(dp)))))),
        fstore(out(), get(sf)),
        inc(j, 1),
      ),
      inc(k, 1),
    ),
    set(gp, get(gb)),
    set(k, i32(0)),
    set(j, i32(0)),
    w.while(
      fits(j, 4, nout),
      set(acc0, vzero()),
      rLoop(set(acc0, vadd(get(acc0), vload(get(dp))))),
      vstore(out(), get(acc0)),
      inc(j, 4),
    ),
    w.while(
      ltS(get(j), get(nout)),
      set(sf, w.f32(0)),
      rLoop(set(sf, w.fadd(get(sf), fload(get(dp))))),
      fstore(out(), get(sf)),
      inc(j, 1),
    ),
  );
  return { name: 'gradWeights', params: [I32, I32, I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, I32, I32, I32, V128, V128, V128, F32], body };
}

/** da[r, k] = d[r, :] . W[k, :], or 0 where relu is set and a[r, k] <= 0. */
function backInput(): FunctionDef {
  const [d, wt, a, da, rows, nin, nout, relu] = [0, 1, 2, 3, 4, 5, 6, 7];
  const [r, k, j, drow, wrow, arow, strideW] = [8, 9, 10, 11, 12, 13, 14];
  const acc = 15;
  const sf = 16;
  const at = (base: number, idx: number): Code => add(get(base), shl(get(idx), i32(2)));
  const body = w.seq(
    set(strideW, shl(get(nout), i32(2))),
    set(drow, get(d)),
    set(arow, get(a)),
    set(r, i32(0)),
    w.while(
      ltS(get(r), get(rows)),
      set(k, i32(0)),
      set(wrow, get(wt)),
      w.while(
        ltS(get(k), get(nin)),
        set(sf, w.f32(0)),
        w.if(w.or(w.eqz(get(relu)), w.fgt(fload(at(arow, k)), w.f32(0))), [
          set(acc, vzero()),
          set(j, i32(0)),
          w.while(fits(j, 4, nout), set(acc, vadd(get(acc), vmul(vload(at(drow, j)), vload(at(wrow, j))))), inc(j, 4)),
          set(sf, hsum(get(acc))),
          w.while(ltS(get(j), get(nout)), set(sf, w.fadd(get(sf), w.fmul(fload(at(drow, j)), fload(at(wrow, j))))), inc(j, 1)),
        ]),
        fstore(add(at(arow, k), w.sub(get(da), get(a))), get(sf)),
        inc(wrow, get(strideW)),
        inc(k, 1),
      ),
      inc(drow, get(strideW)),
      inc(arow, shl(get(nin), i32(2))),
      inc(r, 1),
    ),
  );
  return { name: 'backInput', params: [I32, I32, I32, I32, I32, I32, I32, I32], results: [], locals: [I32, I32, I32, I32, I32, I32, I32, V128, F32], body };
}

/** g += mu (w - anchor) (as tfjs: mu/2 * 2 diff); w += negLr g. Returns sum (w - anchor)^2 when prox is set. */
function update(): FunctionDef {
  const [wp, gp, anchor, n, negLr, halfMu, prox] = [0, 1, 2, 3, 4, 5, 6];
  const [i, end] = [7, 8];
  const [diff, g, sumv, lr4, mu4] = [9, 10, 11, 12, 13];
  const [sd, df, gf] = [14, 15, 16];
  const at = (base: number): Code => add(get(base), get(i));
  const body = w.seq(
    set(end, shl(get(n), i32(2))),
    set(i, i32(0)),
    set(sumv, vzero()),
    set(sd, w.d0()),
    set(lr4, splat(get(negLr))),
    set(mu4, splat(get(halfMu))),
    w.if(
      get(prox),
      [
        w.while(
          ltS(add(get(i), i32(15)), get(end)),
          set(diff, w.vsub(vload(at(wp)), vload(at(anchor)))),
          set(sumv, vadd(get(sumv), vmul(get(diff), get(diff)))),
          set(g, vadd(vload(at(gp)), vmul(get(mu4), vadd(get(diff), get(diff))))),
          vstore(at(wp), vadd(vload(at(wp)), vmul(get(lr4), get(g)))),
          inc(i, 16),
        ),
        w.while(
          ltS(get(i), get(end)),
          set(df, w.fsub(fload(at(wp)), fload(at(anchor)))),
          set(sd, w.dadd(get(sd), w.dpromote(w.fmul(get(df), get(df))))),
          set(gf, w.fadd(fload(at(gp)), w.fmul(get(halfMu), w.fadd(get(df), get(df))))),
          fstore(at(wp), w.fadd(fload(at(wp)), w.fmul(get(negLr), get(gf)))),
          inc(i, 4),
        ),
      ],
      [
        w.while(ltS(add(get(i), i32(15)), get(end)), vstore(at(wp), vadd(vload(at(wp)), vmul(get(lr4), vload(at(gp))))), inc(i, 16)),
        w.while(ltS(get(i), get(end)), fstore(at(wp), w.fadd(fload(at(wp)), w.fmul(get(negLr), fload(at(gp))))), inc(i, 4)),
      ],
    ),
    w.dadd(get(sd), w.dpromote(hsum(get(sumv)))),
  );
  return { name: 'update', params: [I32, I32, I32, I32, F32, F32, I32], results: [F64], locals: [I32, I32, V128, V128, V128, V128, V128, F64, F32, F32], body };
}

interface KernelExports {
  forward(a: number, wt: number, b: number, z: number, rows: number, nin: number, nout: number, relu: number): void;
  gradWeights(a: number, d: number, gw: number, gb: number, rows: number, nin: number, nout: number): void;
  backInput(d: number, wt: number, a: number, da: number, rows: number, nin: number, nout: number, relu: number): void;
  update(w: number, g: number, anchor: number, n: number, negLr: number, halfMu: number, prox: number): number;
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable (or sync compilation is refused). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = assembleModule([forward(), gradWeights(), backInput(), update()]);
    compiled = typeof WebAssembly === 'object' && WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  } catch {
    compiled = null;
  }
  return compiled;
}

export function wasmKernelsAvailable(): boolean {
  return kernelModule() !== null;
}

/**
 * SIMD kernels over a fresh WebAssembly memory of `floats` floats; returns the float view and the kernels,
 * or null when unavailable. Sigmoid parts run in JS on the same view.
 */
export function wasmKernels(floats: number): { m: Float32Array; kernels: FastKernels } | null {
  const module = kernelModule();
  if (!module) return null;
  const memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil((floats * 4) / 65536)) });
  const k = new WebAssembly.Instance(module, { env: { memory } }).exports as unknown as KernelExports;
  const m = new Float32Array(memory.buffer, 0, floats);
  const js = jsKernels(m);
  return {
    m,
    kernels: {
      forward(aAt, wAt, bAt, zAt, rows, nin, nout, act) {
        k.forward(aAt * 4, wAt * 4, bAt * 4, zAt * 4, rows, nin, nout, act === ACT_RELU ? 1 : 0);
        if (act === ACT_SIGMOID) for (let i = zAt, end = zAt + rows * nout; i < end; i++) m[i] = 1 / (1 + Math.exp(-m[i]!));
      },
      gradWeights(aAt, dAt, gwAt, gbAt, rows, nin, nout) {
        k.gradWeights(aAt * 4, dAt * 4, gwAt * 4, gbAt * 4, rows, nin, nout);
      },
      backInput(dAt, wAt, aAt, daAt, rows, nin, nout, act) {
        k.backInput(dAt * 4, wAt * 4, aAt * 4, daAt * 4, rows, nin, nout, act === ACT_RELU ? 1 : 0);
        if (act === ACT_SIGMOID) js.activationGrad(daAt, aAt, rows * nin, act);
      },
      activationGrad: js.activationGrad,
      update(wAt, gAt, anchorAt, n, learningRate, mu) {
        return k.update(wAt * 4, gAt * 4, anchorAt * 4, n, -learningRate, mu / 2, mu > 0 ? 1 : 0);
      },
    },
  };
}
