export { FastWorkspace, trainFast, epochOrderInto, type KernelChoice } from './fastTrain.ts';
export { wasmKernelsAvailable } from './fastKernelsWasm.ts';
export { trainMany, type TrainJob } from './trainMany.ts';
export { createBatchingTrainer, createDeviceTrainer, createFastTrainer, fastTrainer, tfjsTrainer, type DeviceTrainerOptions, type LocalTrainer } from './trainer.ts';
export { predictNetwork, networkInputGradients, type InputGradients } from './network.ts';
