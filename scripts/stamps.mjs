// Content stamps for steps of `npm test` that only need to run again when their inputs changed:
// a SHA-256 over the paths and bytes of every input file, kept in node_modules/.cache/huddle-stamps.json.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { root } from './build.mjs';

const FILE = join(root, 'node_modules', '.cache', 'huddle-stamps.json');
const SKIP = new Set(['node_modules', 'dist', '.vite', 'artifacts', '.huddle']);

function files(path, out) {
  if (!existsSync(path)) return out;
  if (statSync(path).isFile()) return out.push(path), out;
  for (const entry of readdirSync(path, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (SKIP.has(entry.name)) continue;
    files(join(path, entry.name), out);
  }
  return out;
}

/** The hash of every file under `inputs` (paths relative to the repository root). */
export function contentHash(inputs) {
  const hash = createHash('sha256');
  for (const input of inputs) {
    for (const file of files(join(root, input), [])) {
      hash.update(relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
    }
  }
  return hash.digest('hex');
}

function read() {
  try {
    return JSON.parse(readFileSync(FILE, 'utf8'));
  } catch {
    return {};
  }
}

export function changedSince(name, inputs) {
  return read()[name] !== contentHash(inputs);
}

export function recordStamp(name, inputs) {
  const stamps = read();
  stamps[name] = contentHash(inputs);
  mkdirSync(dirname(FILE), { recursive: true });
  writeFileSync(FILE, JSON.stringify(stamps, null, 2));
}
