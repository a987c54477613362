export * from './logger.ts';
export * from './strictCsp.ts';
export * from './byteSlab.ts';
export * from './base64.ts';
