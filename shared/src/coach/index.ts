export * from './fingerprint.ts';
export * from './summary.ts';
export * from './relay.ts';
export * from './board.ts';
