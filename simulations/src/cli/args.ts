/** pnpm hands a literal `--` through to scripts; every CLI accepts and drops it. */
export function stripDashDash(argv: readonly string[]): string[] {
  return argv.filter((a) => a !== '--');
}

/** True when `import.meta.url` is the process entry point. */
export function isEntryPoint(metaUrl: string): boolean {
  // In a bundle built by scripts/build.mjs every module keeps its source URL; the bundle names its entry.
  const bundled = (globalThis as { __huddleEntry?: string }).__huddleEntry;
  if (bundled) return metaUrl === bundled;
  const entry = process.argv[1];
  if (!entry) return false;
  const url = new URL(metaUrl);
  return decodeURIComponent(url.pathname) === entry || decodeURIComponent(url.pathname).replace(/\.ts$/, '') === entry.replace(/\.ts$/, '');
}

export interface CliOutput {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const processOutput: CliOutput = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

export const USAGE_ERROR = 2;

/**
 * Runs a commander program whose actions report their exit code through `setExitCode`; commander's
 * own usage errors give USAGE_ERROR, anything else thrown goes to `onError` (rethrown without one).
 */
export async function runProgram(
  build: (setExitCode: (code: number) => void) => import('commander').Command,
  argv: readonly string[],
  onError?: (error: unknown) => number,
): Promise<number> {
  const { CommanderError } = await import('commander');
  let exitCode = USAGE_ERROR;
  const program = build((code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync(stripDashDash(argv), { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : USAGE_ERROR;
    if (onError) return onError(error);
    throw error;
  }
  return exitCode;
}

/**
 * Parses a synchronous commander program built with `exitOverride()`: null when the options parsed, else the exit
 * code to return (0 after `--help` or `--version`, USAGE_ERROR after a usage error commander has printed).
 */
export function parseOptions(program: { parse(argv: readonly string[], o: { from: 'user' }): unknown }, argv: readonly string[]): number | null {
  try {
    program.parse(stripDashDash(argv), { from: 'user' });
    return null;
  } catch (err) {
    return (err as { exitCode?: unknown }).exitCode === 0 ? 0 : USAGE_ERROR;
  }
}
