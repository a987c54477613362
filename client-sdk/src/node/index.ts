export * from './backend.ts';
export * from './csvFileSource.ts';
