export * from './strategy.ts';
export * from './fedavg.ts';
export * from './strategies.ts';
