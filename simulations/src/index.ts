export * from './synthetic/index.ts';
