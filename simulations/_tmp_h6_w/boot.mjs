import { tsImport } from 'tsx/esm/api';
await tsImport('./w.ts', import.meta.url);
