export * from './federatedClient.ts';
export * from './dataSource.ts';
export * from './clipUpdate.ts';
export * from './predict.ts';
export * from './transport/socketIoClient.ts';
export * from './transport/failoverTransport.ts';
export * from './enrollment.ts';
export * from './localFit.ts';
