import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const root = dirname(fileURLToPath(import.meta.url));
const coordinator = process.env.HUDDLE_COORDINATOR ?? 'http://127.0.0.1:8080';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/**
 * Writes dist/sw.js after the build: the template with the list of files to precache (everything built except the wasm
 * binaries: the app asks the worker to keep the one variant the device loaded; and except the tfjs fallback's chunks,
 * which a device fetches, and the service worker then keeps, only if the shared kernels cannot run there) and a
 * version derived from their contents.
 */
/** The chunks of the worker's tfjs fallback (engine/tfjsFallback.ts and the tfjs reference it imports). */
const TFJS_FALLBACK_CHUNK = /^assets\/(tfjsFallback|trainTf)-[\w-]+\.js$/;

function serviceWorker(): Plugin {
  let outDir = join(root, 'dist');
  return {
    name: 'huddle-service-worker',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir);
    },
    closeBundle() {
      const files = filesUnder(outDir)
        .map((p) => relative(outDir, p).split(sep).join('/'))
        .filter((p) => p !== 'sw.js' && !p.endsWith('.wasm') && !p.endsWith('.map') && !TFJS_FALLBACK_CHUNK.test(p))
        .sort();
      const hash = createHash('sha256');
      for (const f of files) hash.update(f).update(readFileSync(join(outDir, f)));
      const precache = ['./', ...files.filter((f) => f !== 'index.html'), 'index.html'];
      const source = readFileSync(join(root, 'sw.template.js'), 'utf8')
        .replace('__VERSION__', hash.digest('hex').slice(0, 16))
        .replace('__PRECACHE__', JSON.stringify(precache));
      writeFileSync(join(outDir, 'sw.js'), source);
    },
  };
}

export default defineConfig({
  root,
  base: '/',
  plugins: [serviceWorker()],
  worker: {
    format: 'es',
    // The workspace's shared code has no import-time side effects: a module of it the worker does not use is dropped
    // with its imports, so tfjs (imported by the tfjs reference modules) stays out of the worker's start-up chunk and
    // is loaded only through the fallback's dynamic import (engine/tfjsFallback.ts).
    rollupOptions: { treeshake: { moduleSideEffects: (id: string) => !/[\\/]shared[\\/]src[\\/]/.test(id) } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // Never inline assets as data: URLs (wasm included): keeps a strict CSP possible.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
    // The coach's team board is its own page (/coach/), with its own key store, apart from the athlete app.
    rollupOptions: { input: { main: join(root, 'index.html'), coach: join(root, 'coach', 'index.html') } },
  },
  server: {
    proxy: {
      '/api': coordinator,
      '/health': coordinator,
      '/socket.io': { target: coordinator, ws: true },
    },
  },
});
