export * from './logger.ts';
export * from './strictCsp.ts';
export * from './byteSlab.ts';
