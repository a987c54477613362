import { ACT_RELU, ACT_SIGMOID } from './fastNet.ts';
import { jsKernels, type FastKernels } from './fastKernelsJs.ts';
import { assembleModule, F32, F64, I32, V128, w, type Code, type FunctionDef } from './wasmAssembler.ts';

const { get, set, i32, add, mul, shl, ltS, fload, fstore, vload, vstore, vzero, splat, vadd, vmul } = w;
const inc = (x: number, by: Code | number): Code => set(x, add(get(x), typeof by === 'number' ? i32(by) : by));
/** j + width <= n */
const fits = (j: number, width: number, n: number): Code => ltS(add(get(j), i32(width - 1)), get(n));
const hsum = (v: Code): Code => w.fadd(w.fadd(w.lane(v, 0), w.lane(v, 1)), w.fadd(w.lane(v, 2), w.lane(v, 3)));
const times4 = (x: number): Code => shl(get(x), i32(2));
type Tuple<N extends number, T extends number[] = []> = T['length'] extends N ? T : Tuple<N, [...T, number]>;

/** Parameters then locals, numbered in declaration order. */
class Frame {
  readonly params: number[] = [];
  readonly locals: number[] = [];
  param(type = I32): number {
    this.params.push(type);
    return this.params.length - 1;
  }
  local(type = I32): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }
  paramList<N extends number>(n: N, type = I32): Tuple<N> {
    return Array.from({ length: n }, () => this.param(type)) as Tuple<N>;
  }
  localList<N extends number>(n: N, type = I32): Tuple<N> {
    return Array.from({ length: n }, () => this.local(type)) as Tuple<N>;
  }
  def(name: string, results: number[], body: Code): FunctionDef {
    return { name, params: this.params, results, locals: this.locals, body };
  }
}

/** Column blocks of 16 then 4 lanes: one splat of the shared scalar feeds up to four vector accumulators. */
const BLOCKS = [4, 1];

/**
 * z[r, :] = relu?(a[r, :] W + b); pointers in bytes. Rows go in pairs: each weight vector loaded feeds both rows'
 * accumulators (eight for a 16-column block). Every output still sums over k in order, then adds the bias, so the
 * result does not depend on the pairing.
 */
function forward(): FunctionDef {
  const f = new Frame();
  const [a, wt, b, z, rows, nin, nout, relu] = f.paramList(8);
  const [r, j, ap, wp, aend, arow, zrow, strideW, strideA, j0] = f.localList(10);
  const acc = f.localList(4, V128);
  const acc2 = f.localList(4, V128);
  const wv = f.localList(4, V128);
  const [s, s2] = f.localList(2, V128);
  const sf = f.local(F32);
  const kLoop = (...body: Code[]): Code =>
    w.seq(set(ap, get(arow)), set(wp, add(get(wt), times4(j))), w.while(ltS(get(ap), get(aend)), ...body, inc(ap, 4), inc(wp, get(strideW))));
  const finish = (vs: number[], rowAt: Code): Code[] => [
    ...vs.map((v, i) => set(v, vadd(get(v), vload(add(get(b), times4(j)), 16 * i)))),
    w.if(get(relu), vs.map((v) => set(v, w.vpmax(vzero(), get(v))))),
    ...vs.map((v, i) => vstore(add(rowAt, times4(j)), get(v), 16 * i)),
  ];
  const block = (nv: number): Code =>
    w.while(
      fits(j, 4 * nv, nout),
      ...acc.slice(0, nv).map((v) => set(v, vzero())),
      kLoop(set(s, w.vloadSplat(get(ap))), ...acc.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s), vload(get(wp), 16 * i)))))),
      ...finish(acc.slice(0, nv), get(zrow)),
      inc(j, 4 * nv),
    );
  const pairBlock = (nv: number): Code =>
    w.while(
      fits(j, 4 * nv, nout),
      ...[...acc.slice(0, nv), ...acc2.slice(0, nv)].map((v) => set(v, vzero())),
      kLoop(
        set(s, w.vloadSplat(get(ap))),
        set(s2, w.vloadSplat(add(get(ap), get(strideA)))),
        ...wv.slice(0, nv).map((v, i) => set(v, vload(get(wp), 16 * i))),
        ...acc.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s), get(wv[i]!))))),
        ...acc2.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s2), get(wv[i]!))))),
      ),
      ...finish(acc.slice(0, nv), get(zrow)),
      ...finish(acc2.slice(0, nv), add(get(zrow), get(strideW))),
      inc(j, 4 * nv),
    );
  /** The columns left after the vector blocks, one row: from j0 to nout, row at arow, output at zrow. */
  const scalarColumns = w.seq(
    set(j, get(j0)),
    w.while(
      ltS(get(j), get(nout)),
      set(sf, w.f32(0)),
      kLoop(set(sf, w.fadd(get(sf), w.fmul(fload(get(ap)), fload(get(wp)))))),
      set(sf, w.fadd(get(sf), fload(add(get(b), times4(j))))),
      w.if(get(relu), [set(sf, w.select(get(sf), w.f32(0), w.fgt(get(sf), w.f32(0))))]),
      fstore(add(get(zrow), times4(j)), get(sf)),
      inc(j, 1),
    ),
  );
  const body = w.seq(
    set(strideW, times4(nout)),
    set(strideA, times4(nin)),
    set(arow, get(a)),
    set(zrow, get(z)),
    set(r, i32(0)),
    w.while(
      ltS(add(get(r), i32(1)), get(rows)),
      set(aend, add(get(arow), get(strideA))),
      set(j, i32(0)),
      ...BLOCKS.map(pairBlock),
      set(j0, get(j)),
      scalarColumns,
      set(arow, get(aend)),
      set(aend, add(get(arow), get(strideA))),
      inc(zrow, get(strideW)),
      scalarColumns,
      set(arow, get(aend)),
      inc(zrow, get(strideW)),
      inc(r, 2),
    ),
    w.if(ltS(get(r), get(rows)), [set(aend, add(get(arow), get(strideA))), set(j, i32(0)), ...BLOCKS.map(block), set(j0, get(j)), scalarColumns]),
  );
  return f.def('forward', [], body);
}

/**
 * gw[k, :] = sum_r a[r, k] d[r, :];  gb = sum_r d[r, :]. Inputs k go in pairs, so each d vector loaded feeds two
 * rows of gw; every output still sums over r in order.
 */
function gradWeights(): FunctionDef {
  const f = new Frame();
  const [a, d, gw, gb, rows, nin, nout] = f.paramList(7);
  const [k, j, r, ap, dp, strideA, strideD, gp] = f.localList(8);
  const acc = f.localList(4, V128);
  const acc2 = f.localList(4, V128);
  const dv = f.localList(4, V128);
  const [s, s2] = f.localList(2, V128);
  const sf = f.local(F32);
  const rLoop = (...body: Code[]): Code =>
    w.seq(
      set(ap, add(get(a), times4(k))),
      set(dp, add(get(d), times4(j))),
      set(r, i32(0)),
      w.while(ltS(get(r), get(rows)), ...body, inc(ap, get(strideA)), inc(dp, get(strideD)), inc(r, 1)),
    );
  const out = (): Code => add(get(gp), times4(j));
  const block = (nv: number): Code =>
    w.while(
      fits(j, 4 * nv, nout),
      ...acc.slice(0, nv).map((v) => set(v, vzero())),
      rLoop(set(s, w.vloadSplat(get(ap))), ...acc.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s), vload(get(dp), 16 * i)))))),
      ...acc.slice(0, nv).map((v, i) => vstore(out(), get(v), 16 * i)),
      inc(j, 4 * nv),
    );
  const pairBlock = (nv: number): Code =>
    w.while(
      fits(j, 4 * nv, nout),
      ...[...acc.slice(0, nv), ...acc2.slice(0, nv)].map((v) => set(v, vzero())),
      rLoop(
        set(s, w.vloadSplat(get(ap))),
        set(s2, w.vloadSplat(get(ap), 4)),
        ...dv.slice(0, nv).map((v, i) => set(v, vload(get(dp), 16 * i))),
        ...acc.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s), get(dv[i]!))))),
        ...acc2.slice(0, nv).map((v, i) => set(v, vadd(get(v), vmul(get(s2), get(dv[i]!))))),
      ),
      ...acc.slice(0, nv).map((v, i) => vstore(out(), get(v), 16 * i)),
      ...acc2.slice(0, nv).map((v, i) => vstore(add(out(), get(strideD)), get(v), 16 * i)),
      inc(j, 4 * nv),
    );
  const scalarColumns = w.while(
    ltS(get(j), get(nout)),
    set(sf, w.f32(0)),
    rLoop(set(sf, w.fadd(get(sf), w.fmul(fload(get(ap)), fload(get(dp)))))),
    fstore(out(), get(sf)),
    inc(j, 1),
  );
  /** The columns left after the pair blocks, for inputs k and k + 1 (from the first column no pair block took). */
  const pairTail = (): Code => {
    const j0 = f.local();
    return w.seq(
      set(j0, get(j)),
      scalarColumns,
      inc(k, 1),
      set(gp, add(get(gp), get(strideD))),
      set(j, get(j0)),
      scalarColumns,
      inc(k, 1),
    );
  };
  const body = w.seq(
    set(strideA, times4(nin)),
    set(strideD, times4(nout)),
    set(k, i32(0)),
    w.while(
      ltS(add(get(k), i32(1)), get(nin)),
      set(gp, add(get(gw), mul(get(k), get(strideD)))),
      set(j, i32(0)),
      ...BLOCKS.map(pairBlock),
      pairTail(),
    ),
    w.if(ltS(get(k), get(nin)), [set(gp, add(get(gw), mul(get(k), get(strideD)))), set(j, i32(0)), ...BLOCKS.map(block), scalarColumns]),
    set(gp, get(gb)),
    set(k, i32(0)),
    set(j, i32(0)),
    w.while(fits(j, 4, nout), set(acc[0]!, vzero()), rLoop(set(acc[0]!, vadd(get(acc[0]!), vload(get(dp))))), vstore(out(), get(acc[0]!)), inc(j, 4)),
    w.while(ltS(get(j), get(nout)), set(sf, w.f32(0)), rLoop(set(sf, w.fadd(get(sf), fload(get(dp))))), fstore(out(), get(sf)), inc(j, 1)),
  );
  return f.def('gradWeights', [], body);
}

/** [sum(a), sum(b), sum(c), sum(d)] of four vectors. */
function transposeSum(a: number, b: number, c: number, d: number): Code {
  const pair = (x: number, y: number): Code => vadd(w.shuffle(get(x), get(y), [0, 4, 1, 5]), w.shuffle(get(x), get(y), [2, 6, 3, 7]));
  return w.seq(set(a, pair(a, b)), set(c, pair(c, d)), vadd(w.shuffle(get(a), get(c), [0, 1, 4, 5]), w.shuffle(get(a), get(c), [2, 3, 6, 7])));
}

/**
 * da[r, k] = d[r, :] . W[k, :], zeroed where relu is set and a[r, k] <= 0. Four k at a time, masked without
 * branches (a data-dependent branch here mispredicts about half the time). Rows go in pairs through the four-k
 * dot products, so each weight vector loaded feeds both rows; each output's summation order is the same either way.
 */
function backInput(): FunctionDef {
  const f = new Frame();
  const [d, wt, a, da, rows, nin, nout, relu] = f.paramList(8);
  const [r, k, jb, drow, arow, darow, strideW, strideA, drow2, k0] = f.localList(10);
  const wk = f.localList(4);
  const acc = f.localList(4, V128);
  const acc2 = f.localList(4, V128);
  const wv = f.local(V128);
  const [dv, dv2] = f.localList(2, V128);
  const sf = f.local(F32);
  /** out = mask(v) for the row whose layer input starts at `arowAt`, stored at `darowAt` (both byte addresses). */
  const maskStore = (out: number, v: Code, arowAt: Code, darowAt: Code): Code =>
    w.seq(
      w.if(get(relu), [set(out, w.vand(v, w.vgt(vload(add(arowAt, times4(k))), vzero())))], [set(out, v)]),
      vstore(add(darowAt, times4(k)), get(out)),
    );
  const weightRows = (): Code[] => wk.map((p, i) => set(p, add(get(wt), mul(add(get(k), i32(i)), get(strideW)))));
  const dotBlock = w.while(
    fits(k, 4, nin),
    ...weightRows(),
    ...acc.map((v) => set(v, vzero())),
    set(jb, i32(0)),
    w.while(
      ltS(get(jb), get(strideW)),
      set(dv, vload(add(get(drow), get(jb)))),
      ...acc.map((v, i) => set(v, vadd(get(v), vmul(get(dv), vload(add(get(wk[i]!), get(jb))))))),
      inc(jb, 16),
    ),
    maskStore(acc[0]!, transposeSum(acc[0]!, acc[1]!, acc[2]!, acc[3]!), get(arow), get(darow)),
    inc(k, 4),
  );
  const pairDotBlock = w.while(
    fits(k, 4, nin),
    ...weightRows(),
    ...[...acc, ...acc2].map((v) => set(v, vzero())),
    set(jb, i32(0)),
    w.while(
      ltS(get(jb), get(strideW)),
      set(dv, vload(add(get(drow), get(jb)))),
      set(dv2, vload(add(get(drow2), get(jb)))),
      ...acc.flatMap((v, i) => [
        set(wv, vload(add(get(wk[i]!), get(jb)))),
        set(v, vadd(get(v), vmul(get(dv), get(wv)))),
        set(acc2[i]!, vadd(get(acc2[i]!), vmul(get(dv2), get(wv)))),
      ]),
      inc(jb, 16),
    ),
    maskStore(acc[0]!, transposeSum(acc[0]!, acc[1]!, acc[2]!, acc[3]!), get(arow), get(darow)),
    maskStore(acc2[0]!, transposeSum(acc2[0]!, acc2[1]!, acc2[2]!, acc2[3]!), add(get(arow), get(strideA)), add(get(darow), get(strideA))),
    inc(k, 4),
  );
  const singleOutput = w.while(fits(k, 4, nin), maskStore(acc[0]!, vmul(splat(fload(get(drow))), vload(add(get(wt), times4(k)))), get(arow), get(darow)), inc(k, 4));
  const scalar = w.while(
    ltS(get(k), get(nin)),
    set(sf, w.f32(0)),
    set(jb, i32(0)),
    set(wk[0]!, add(get(wt), mul(get(k), get(strideW)))),
    w.while(ltS(get(jb), get(strideW)), set(sf, w.fadd(get(sf), w.fmul(fload(add(get(drow), get(jb))), fload(add(get(wk[0]!), get(jb)))))), inc(jb, 4)),
    w.if(get(relu), [set(sf, w.select(get(sf), w.f32(0), w.fgt(fload(add(get(arow), times4(k))), w.f32(0))))]),
    fstore(add(get(darow), times4(k)), get(sf)),
    inc(k, 1),
  );
  /** After the dot blocks of the current row (k at the first input they left): the rest of it, then the next row. */
  const rowTail = w.seq(w.if(w.eq(get(nout), i32(1)), [singleOutput]), scalar);
  const nextRow = w.seq(inc(drow, get(strideW)), inc(arow, get(strideA)), inc(darow, get(strideA)), inc(r, 1));
  const dotted = w.eqz(w.and(get(nout), i32(3)));
  const body = w.seq(
    set(strideW, times4(nout)),
    set(strideA, times4(nin)),
    set(drow, get(d)),
    set(arow, get(a)),
    set(darow, get(da)),
    set(r, i32(0)),
    w.while(
      ltS(add(get(r), i32(1)), get(rows)),
      set(drow2, add(get(drow), get(strideW))),
      set(k, i32(0)),
      w.if(dotted, [pairDotBlock]),
      set(k0, get(k)),
      rowTail,
      nextRow,
      set(k, get(k0)),
      rowTail,
      nextRow,
    ),
    w.if(ltS(get(r), get(rows)), [set(k, i32(0)), w.if(dotted, [dotBlock]), rowTail]),
  );
  return f.def('backInput', [], body);
}

/** g += mu (w - anchor) (as tfjs: mu/2 * 2 diff); w += negLr g. Returns sum (w - anchor)^2 when prox is set. */
function update(): FunctionDef {
  const f = new Frame();
  const [wp, gp, anchor, n] = f.paramList(4);
  const [negLr, halfMu] = [f.param(F32), f.param(F32)];
  const prox = f.param();
  const [i, end] = [f.local(), f.local()];
  const [diff, g, sumv, lr4, mu4] = f.localList(5, V128);
  const sd = f.local(F64);
  const [df, gf] = [f.local(F32), f.local(F32)];
  const at = (base: number): Code => add(get(base), get(i));
  const body = w.seq(
    set(end, times4(n)),
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
  return f.def('update', [F64], body);
}

/**
 * Copies rows order[0..rows) of x ([n, nin], in this memory) to dst and their labels y[row] / scale to dstY, the
 * division in float64 as in JS.
 */
function gather(): FunctionDef {
  const f = new Frame();
  const [x, order, y, dst, dstY, rows, nin] = f.paramList(7);
  const scale = f.param(F64);
  const [r, src, i, rowBytes, vecBytes, row] = f.localList(6);
  const body = w.seq(
    set(rowBytes, times4(nin)),
    set(vecBytes, w.and(get(rowBytes), i32(-16))),
    set(r, i32(0)),
    w.while(
      ltS(get(r), get(rows)),
      set(row, w.iload(get(order))),
      set(src, add(get(x), mul(get(row), get(rowBytes)))),
      set(i, i32(0)),
      w.while(ltS(get(i), get(vecBytes)), vstore(add(get(dst), get(i)), vload(add(get(src), get(i)))), inc(i, 16)),
      w.while(ltS(get(i), get(rowBytes)), fstore(add(get(dst), get(i)), fload(add(get(src), get(i)))), inc(i, 4)),
      fstore(add(get(dstY), shl(get(r), i32(2))), w.fdemote(w.ddiv(w.dpromote(fload(add(get(y), shl(get(row), i32(2))))), get(scale)))),
      inc(dst, get(rowBytes)),
      inc(order, 4),
      inc(r, 1),
    ),
  );
  return f.def('gather', [], body);
}

interface KernelExports {
  forward(a: number, wt: number, b: number, z: number, rows: number, nin: number, nout: number, relu: number): void;
  gradWeights(a: number, d: number, gw: number, gb: number, rows: number, nin: number, nout: number): void;
  backInput(d: number, wt: number, a: number, da: number, rows: number, nin: number, nout: number, relu: number): void;
  update(w: number, g: number, anchor: number, n: number, negLr: number, halfMu: number, prox: number): number;
  gather(x: number, order: number, y: number, dst: number, dstY: number, rows: number, nin: number, scale: number): void;
}

/**
 * The kernel module's bytes (about 8 KB: over the 4 KB that browsers compile synchronously on a page's main thread,
 * so there the JS kernels run; workers, where training runs, and Node have no such limit).
 */
export function kernelModuleBytes(): Uint8Array<ArrayBuffer> {
  return assembleModule([forward(), gradWeights(), backInput(), update(), gather()]);
}

let compiled: WebAssembly.Module | null | undefined;

/** The compiled kernel module, or null where WebAssembly SIMD is unavailable (or sync compilation is refused). */
function kernelModule(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  try {
    const bytes = kernelModuleBytes();
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
      gather(xAt, orderAt, yAt, dstAt, dstYAt, rows, nin, scale) {
        k.gather(xAt * 4, orderAt * 4, yAt * 4, dstAt * 4, dstYAt * 4, rows, nin, scale);
      },
    },
  };
}
