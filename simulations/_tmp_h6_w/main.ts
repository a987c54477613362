import { Worker } from 'node:worker_threads';
for (const [name, url, opts] of [
  ['execArgv --import tsx', new URL('./w.ts', import.meta.url), { execArgv: ['--import', 'tsx'] }],
  ['boot.mjs tsImport', new URL('./boot.mjs', import.meta.url), {}],
] as const) {
  await new Promise<void>((resolve) => {
    const w = new Worker(url, opts);
    w.on('message', (m) => { console.log(name, 'ok', m); void w.terminate().then(() => resolve()); });
    w.on('error', (e) => { console.log(name, 'error', e.message); resolve(); });
  });
}
