export * from './version.ts';
export * from './schemas.ts';
export * from './messages.ts';
export * from './wire.ts';
export * from './transport.ts';
export * from './inProcess.ts';
export * from './taskConfig.ts';
export * from './envelope.ts';
