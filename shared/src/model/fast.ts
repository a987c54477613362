export { FastWorkspace, trainFast, epochOrderInto, type KernelChoice } from './fastTrain.ts';
export { wasmKernelsAvailable } from './fastKernelsWasm.ts';
export { trainMany, type TrainJob } from './trainMany.ts';
export { createBatchingTrainer, createFastTrainer, fastTrainer, tfjsTrainer, type LocalTrainer } from './trainer.ts';
