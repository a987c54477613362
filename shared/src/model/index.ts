export * from './spec.ts';
export * from './codec.ts';
export * from './init.ts';
export * from './tfModel.ts';
export * from './trainTf.ts';
export * from './evaluate.ts';
export * from './fast.ts';
