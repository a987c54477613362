/** pnpm hands a literal `--` through to scripts; every CLI accepts and drops it. */
export function stripDashDash(argv: readonly string[]): string[] {
  return argv.filter((a) => a !== '--');
}

/** True when `import.meta.url` is the process entry point. */
export function isEntryPoint(metaUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  const url = new URL(metaUrl);
  return decodeURIComponent(url.pathname) === entry || decodeURIComponent(url.pathname).replace(/\.ts$/, '') === entry.replace(/\.ts$/, '');
}
