export * from './synthetic/index.ts';
export * from './demo/demoFederation.ts';
