// Builds every CLI entry once into .huddle/build/NAME.mjs with esbuild, so commands start with plain
// `node` instead of compiling TypeScript through tsx on every call. Workspace sources (@huddle/*) are
// bundled; every other package stays external, imported by its resolved absolute path (pnpm keeps a
// package's dependencies beside the package that declares them, not at the root). `import.meta.url` in
// each source keeps the source file's own URL, so paths relative to a source (dashboard assets, the
// vendored data set, worker scripts, the wasm binaries) resolve exactly as they do under tsx.
import { readdirSync, readFileSync, statSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
export const buildDir = join(root, '.huddle', 'build');

/** Each CLI: the bundle's name and its TypeScript entry. */
const ALL_ENTRIES = {
  demo: 'simulations/src/demo/cli.ts',
  coordinator: 'coordinator/src/cli.ts',
  simulate: 'simulations/src/cli/simulate.ts',
  privacy: 'simulations/src/cli/privacy.ts',
  bench: 'simulations/src/bench/cli.ts',
  synth: 'simulations/src/cli/synth.ts',
  athletes: 'simulations/src/cli/athletes.ts',
  plan: 'simulations/src/cli/plan.ts',
  // The load bench's helper processes (simulations/src/bench/jsonChild.ts runs them with plain node).
  'load-node': 'simulations/src/bench/loadNode.ts',
  'load-clients': 'simulations/src/bench/loadClients.ts',
};
export const ENTRIES = Object.fromEntries(Object.entries(ALL_ENTRIES).filter(([, entry]) => existsSync(join(root, entry))));

const SOURCE_DIRS = ['shared/src', 'client-sdk/src', 'coordinator/src', 'simulations/src'];
const STAMP = join(buildDir, '.stamp.json');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(p));
    else newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** The newest modification time of any file the bundles are built from (sources, this script, package manifests). */
export function sourcesMtime() {
  const files = [fileURLToPath(import.meta.url), join(root, 'pnpm-lock.yaml'), ...SOURCE_DIRS.map((d) => join(root, d, '..', 'package.json'))];
  return Math.max(...SOURCE_DIRS.map((d) => newestMtime(join(root, d))), ...files.filter(existsSync).map((f) => statSync(f).mtimeMs));
}

/** True when every bundle exists and was built after the last change to any source. */
export function upToDate() {
  if (!existsSync(STAMP)) return false;
  const stamp = JSON.parse(readFileSync(STAMP, 'utf8'));
  if (Object.keys(ENTRIES).some((name) => !existsSync(join(buildDir, `${name}.mjs`)))) return false;
  return stamp.sourcesMtime >= sourcesMtime();
}

const builtins = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

/** Bundles workspace packages; resolves every other package to its absolute file and leaves it external. */
const externalByPath = {
  name: 'external-by-path',
  setup(build) {
    // Workspace modules have no import-time side effects (no module is imported for its effects alone), so
    // a chunk keeps only the modules whose bindings it uses: `coordinator --help` does not load tfjs
    // because cli.ts reads TASK_IDS from @huddle/shared/model.
    build.onResolve({ filter: /^(\.|@huddle\/)/ }, async (args) => {
      if (args.pluginData === 'inner') return undefined;
      const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'inner' });
      if (r.errors.length > 0) return { errors: r.errors };
      return { path: r.path, sideEffects: args.kind === 'dynamic-import' || args.kind === 'entry-point' ? undefined : false };
    });
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('huddle-entry:')) return undefined;
      if (builtins.has(args.path)) return { path: args.path, external: true };
      const r = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, importer: args.importer, pluginData: 'inner' });
      // An optional dependency that is not installed (tfjs-node) stays a bare import that fails at run time, as under tsx.
      if (r.errors.length > 0) return { path: args.path, external: true };
      return { path: pathToFileURL(r.path).href, external: true };
    });
    build.onLoad({ filter: /\.ts$/ }, (args) => {
      const source = readFileSync(args.path, 'utf8');
      const contents = source.includes('import.meta.url') ? source.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)) : source;
      return { contents, loader: 'ts' };
    });
  },
};

/**
 * Each bundle's entry is a two-line module: it names the source entry (for `isEntryPoint`, since every
 * module keeps its source's import.meta.url), then imports it. Dynamic imports become chunks of their
 * own, so a CLI loads heavy packages (tfjs, express, SQLite) only once a command needs them.
 */
const entryWrappers = {
  name: 'entry-wrappers',
  setup(build) {
    build.onResolve({ filter: /^huddle-entry:/ }, (args) => ({ path: args.path.slice('huddle-entry:'.length), namespace: 'huddle-entry' }));
    build.onLoad({ filter: /.*/, namespace: 'huddle-entry' }, (args) => {
      const source = join(root, ENTRIES[args.path]);
      return {
        contents: `globalThis.__huddleEntry = ${JSON.stringify(pathToFileURL(source).href)};\nawait import(${JSON.stringify(source)});\n`,
        loader: 'js',
        resolveDir: root,
      };
    });
  },
};

/** Builds every entry and writes the stamp. Returns the build time in ms. */
export async function buildAll() {
  const t0 = performance.now();
  const started = sourcesMtime();
  const esbuild = await import('esbuild');
  mkdirSync(buildDir, { recursive: true });
  await esbuild.build({
    entryPoints: Object.fromEntries(Object.keys(ENTRIES).map((name) => [name, `huddle-entry:${name}`])),
    outdir: buildDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // The files Node itself would pick: no bundler-only "module" condition or field.
    conditions: ['node'],
    mainFields: ['main'],
    sourcemap: true,
    logLevel: 'error',
    plugins: [entryWrappers, externalByPath],
  });
  writeFileSync(STAMP, JSON.stringify({ sourcesMtime: started, builtAt: new Date().toISOString() }));
  return performance.now() - t0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const ms = await buildAll();
  console.error(`[huddle] built ${Object.keys(ENTRIES).length} commands into ${buildDir} in ${(ms / 1000).toFixed(2)} s`);
}
