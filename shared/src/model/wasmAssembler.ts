/**
 * A minimal WebAssembly binary emitter (MVP + SIMD128) for the few hand-written training kernels.
 * Instructions are built as s-expressions: each helper returns the bytes that leave its value on the stack.
 */
export type Code = number[];

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

export function uleb(n: number): Code {
  const out: Code = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): Code {
  const out: Code = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const cat = (...parts: Code[]): Code => parts.flat();
const simd = (op: number): Code => [0xfd, ...uleb(op)];
const memarg = (alignLog2: number, offset: number): Code => [alignLog2, ...uleb(offset)];

/** Expression and statement builders. */
export const w = {
  get: (i: number): Code => [0x20, ...uleb(i)],
  set: (i: number, v: Code): Code => [...v, 0x21, ...uleb(i)],
  tee: (i: number, v: Code): Code => [...v, 0x22, ...uleb(i)],
  i32: (n: number): Code => [0x41, ...sleb(n)],
  f32: (x: number): Code => {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, x, true);
    return [0x43, ...bytes];
  },
  add: (a: Code, b: Code): Code => cat(a, b, [0x6a]),
  sub: (a: Code, b: Code): Code => cat(a, b, [0x6b]),
  mul: (a: Code, b: Code): Code => cat(a, b, [0x6c]),
  shl: (a: Code, b: Code): Code => cat(a, b, [0x74]),
  ltS: (a: Code, b: Code): Code => cat(a, b, [0x48]),
  geS: (a: Code, b: Code): Code => cat(a, b, [0x4e]),
  gtS: (a: Code, b: Code): Code => cat(a, b, [0x4a]),
  or: (a: Code, b: Code): Code => cat(a, b, [0x72]),
  and: (a: Code, b: Code): Code => cat(a, b, [0x71]),
  eq: (a: Code, b: Code): Code => cat(a, b, [0x46]),
  eqz: (a: Code): Code => cat(a, [0x45]),
  fadd: (a: Code, b: Code): Code => cat(a, b, [0x92]),
  fsub: (a: Code, b: Code): Code => cat(a, b, [0x93]),
  fmul: (a: Code, b: Code): Code => cat(a, b, [0x94]),
  fgt: (a: Code, b: Code): Code => cat(a, b, [0x5e]),
  select: (ifTrue: Code, ifFalse: Code, cond: Code): Code => cat(ifTrue, ifFalse, cond, [0x1b]),
  dpromote: (a: Code): Code => cat(a, [0xbb]),
  dadd: (a: Code, b: Code): Code => cat(a, b, [0xa0]),
  dmul: (a: Code, b: Code): Code => cat(a, b, [0xa2]),
  ddiv: (a: Code, b: Code): Code => cat(a, b, [0xa3]),
  fdemote: (a: Code): Code => cat(a, [0xb6]),
  iload: (addr: Code, offset = 0): Code => cat(addr, [0x28], memarg(2, offset)),
  d0: (): Code => [0x44, 0, 0, 0, 0, 0, 0, 0, 0],
  fload: (addr: Code, offset = 0): Code => cat(addr, [0x2a], memarg(2, offset)),
  fstore: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, [0x38], memarg(2, offset)),
  vload: (addr: Code, offset = 0): Code => cat(addr, simd(0x00), memarg(2, offset)),
  vstore: (addr: Code, v: Code, offset = 0): Code => cat(addr, v, simd(0x0b), memarg(2, offset)),
  vzero: (): Code => [...simd(0x0c), ...new Array<number>(16).fill(0)],
  splat: (a: Code): Code => cat(a, simd(0x13)),
  /** v128.load32_splat: one f32 from memory in every lane (a single broadcast load). */
  vloadSplat: (addr: Code, offset = 0): Code => cat(addr, simd(0x09), memarg(2, offset)),
  lane: (v: Code, i: number): Code => cat(v, simd(0x1f), [i]),
  vadd: (a: Code, b: Code): Code => cat(a, b, simd(0xe4)),
  vsub: (a: Code, b: Code): Code => cat(a, b, simd(0xe5)),
  vmul: (a: Code, b: Code): Code => cat(a, b, simd(0xe6)),
  vgt: (a: Code, b: Code): Code => cat(a, b, simd(0x44)),
  vand: (a: Code, b: Code): Code => cat(a, b, simd(0x4e)),
  /** Picks f32 lanes 0-3 from `a` and 4-7 from `b`. */
  shuffle: (a: Code, b: Code, lanes: [number, number, number, number]): Code =>
    cat(a, b, simd(0x0d), lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3])),
  /** pmax(a, b) = a < b ? b : a; pmax(0, z) is relu with the same NaN and -0 results as `z > 0 ? z : 0`. */
  vpmax: (a: Code, b: Code): Code => cat(a, b, simd(0xeb)),
  /** Runs `body` while `cond` (evaluated first) holds. */
  while: (cond: Code, ...body: Code[]): Code => cat([0x02, 0x40, 0x03, 0x40], w.eqz(cond), [0x0d, 1], ...body, [0x0c, 0, 0x0b, 0x0b]),
  if: (cond: Code, then: Code[], otherwise: Code[] = []): Code =>
    cat(cond, [0x04, 0x40], ...then, otherwise.length > 0 ? cat([0x05], ...otherwise) : [], [0x0b]),
  seq: (...parts: Code[]): Code => cat(...parts),
};

export interface FunctionDef {
  name: string;
  params: number[];
  results: number[];
  /** Types of the extra locals, indexed after the params. */
  locals: number[];
  body: Code;
}

function vec(items: Code[]): Code {
  return cat(uleb(items.length), ...items);
}

function section(id: number, payload: Code): Code {
  return cat([id], uleb(payload.length), payload);
}

function nameBytes(s: string): Code {
  const bytes = Array.from(new TextEncoder().encode(s));
  return cat(uleb(bytes.length), bytes);
}

/** A module importing `env.memory` and exporting each function under its name. */
export function assembleModule(functions: FunctionDef[]): Uint8Array<ArrayBuffer> {
  const types = functions.map((f) => cat([0x60], vec(f.params.map((t) => [t])), vec(f.results.map((t) => [t]))));
  const imports = vec([cat(nameBytes('env'), nameBytes('memory'), [0x02, 0x00, 0x01])]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exports = vec(functions.map((f, i) => cat(nameBytes(f.name), [0x00], uleb(i))));
  const bodies = vec(
    functions.map((f) => {
      const locals = vec(f.locals.map((t) => [1, t]));
      const body = cat(locals, f.body, [0x0b]);
      return cat(uleb(body.length), body);
    }),
  );
  return new Uint8Array(
    cat([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00], section(1, vec(types)), section(2, imports), section(3, funcs), section(7, exports), section(10, bodies)),
  );
}
