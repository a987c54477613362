// Worker entry. `execArgv: ['--import', 'tsx']` does not reach worker threads on Node 20, so the
// TypeScript worker is loaded through tsx's API instead, which works on every supported Node.
import { tsImport } from 'tsx/esm/api';

await tsImport('./worker.ts', import.meta.url);
