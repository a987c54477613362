import { isEntryPoint, stripDashDash } from '../cli/args.ts';

type Bench = { main(argv: string[]): Promise<number> };

/** `npm run bench -- NAME [options]`: each benchmark module exports `main(argv): Promise<number>`. */
const BENCHES: Record<string, () => Promise<Bench>> = {
  simulate: () => import('./simulate.ts'),
  secagg: () => import('./secagg.ts'),
  load: () => import('./load.ts'),
  train: () => import('./train.ts'),
  cli: () => import('./startup.ts'),
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = stripDashDash(argv);
  const load = name ? BENCHES[name] : undefined;
  if (!load) {
    process.stderr.write(`usage: npm run bench -- <${Object.keys(BENCHES).join('|')}> [options] [--json]\n`);
    return 2;
  }
  return (await load()).main(rest);
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
