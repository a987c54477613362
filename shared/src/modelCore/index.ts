/**
 * `@huddle/shared/model` without its tfjs bindings (tfModel.ts, trainTf.ts, and the trainers of trainer.ts), for processes that must not load
 * @tensorflow/tfjs at start: the coordinator imports its model maths from here and loads tfjs only when a tfjs
 * artifact is requested (coordinator/src/http/modelArtifacts.ts). Same functions, same modules.
 */
export * from '../model/spec.ts';
export * from '../model/codec.ts';
export * from '../model/init.ts';
export * from '../model/evaluate.ts';
export { FastWorkspace, trainFast, epochOrderInto, type KernelChoice } from '../model/fastTrain.ts';
export { wasmKernelsAvailable } from '../model/fastKernelsWasm.ts';
export { trainMany, type TrainJob } from '../model/trainMany.ts';
export { predictNetwork, networkInputGradients, type InputGradients } from '../model/network.ts';
export type { LocalTrainer } from '../model/trainer.ts';
export * from '../model/settings.ts';
export * from '../model/target.ts';
export * from '../model/family.ts';
export { BCE_EPSILON } from '../model/fastLoss.ts';
export type { LocalTrainConfig, LocalTrainResult, TrainingData } from '../model/trainTf.ts';
export { additiveContribution, additiveMeanPredict, additivePredict, additiveScores, applyAdditiveAggregate, additiveParameterCount, initialAdditive, meanCorrectionRate, NOISE_FLOOR_SDS, noiseFloorStd, resumeAdditive } from '../model/additive/additiveModel.ts';
export { additiveLayout, additiveManifest, slotOf, slotsOf, type AdditiveLayout } from '../model/additive/layout.ts';
export { isotonicInPlace } from '../model/additive/isotonic.ts';
export { gradHess, lossValue } from '../model/additive/losses.ts';
export { fitAdditive } from '../model/additive/fitAdditive.ts';
export { MEDIAN_STEP_ROUNDS, RecentRounds, stepRounds } from '../model/additive/recentRounds.ts';
export { PERSONAL_ADDITIVE, personalizeAdditive } from '../model/additive/personalizeAdditive.ts';
export * from '../model/heuristics.ts';
export { TREE_DEFAULTS, treeManifest, treeParameterCount, treeProgress, treeRounds, treeShape, type TreeShape } from '../model/trees/treeLayout.ts';
export { applyTreeAggregate, initialTrees, treeContribution, treePredict, treeScores } from '../model/trees/treeModel.ts';
export { fitTrees } from '../model/trees/fitTrees.ts';
export { personalizeTrees } from '../model/trees/personalizeTrees.ts';
export { personalizeInClosedForm } from '../model/personalize.ts';
