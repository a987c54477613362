export * from './strategy.ts';
export * from './fedavg.ts';
export * from './strategies.ts';
export * from './serverOptimizers.ts';
export * from './robust.ts';
export * from './differentialPrivacy.ts';
export * from './secureVector.ts';
export * from './evaluationVector.ts';
