// Builds the CLI bundles once before any test file runs, so tests that run commands through
// scripts/run.mjs in parallel never rebuild them at the same time.
import { buildAll, upToDate } from './build.mjs';

export default async function setup() {
  if (!upToDate()) await buildAll();
}
