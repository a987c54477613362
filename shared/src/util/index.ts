export * from './logger.ts';
export * from './strictCsp.ts';
