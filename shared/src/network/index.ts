/**
 * The dense network's maths without tfjs (model/network.ts and the kernels it runs on), for bundles that must not
 * carry tfjs: a benchmark worker, say. `@huddle/shared/model` exports the same functions beside the tfjs reference.
 */
export { networkInputGradients, predictNetwork, trainFast, trainMany, FastWorkspace, type InputGradients, type KernelChoice, type TrainJob } from '../model/network.ts';
export { wasmKernelsAvailable } from '../model/fastKernelsWasm.ts';
export { initialWeights } from '../model/init.ts';
export { modelSpec, type ModelSpec } from '../model/spec.ts';
export type { LocalTrainConfig, LocalTrainResult, TrainingData } from '../model/trainTf.ts';
