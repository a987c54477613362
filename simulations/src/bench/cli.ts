import { isEntryPoint, stripDashDash } from '../cli/args.ts';

/** `pnpm bench NAME [options]`: each benchmark is `./NAME.ts` exporting `main(argv): Promise<number>`. */
const BENCHES = ['simulate', 'secagg', 'load', 'train', 'plan'] as const;

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = stripDashDash(argv);
  if (!name || !(BENCHES as readonly string[]).includes(name)) {
    process.stderr.write(`usage: pnpm bench <${BENCHES.join('|')}> [options] [--json]\n`);
    return 2;
  }
  const mod = (await import(`./${name}.ts`)) as { main(argv: string[]): Promise<number> };
  return mod.main(rest);
}

if (isEntryPoint(import.meta.url)) {
  main(process.argv.slice(2)).then((code) => process.exit(code), (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
