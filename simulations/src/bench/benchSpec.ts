import { modelSpec, parameterCount, weightManifest, type ModelSpec } from '@huddle/shared/modelCore';

/**
 * The secagg and load benches' model: one of about D parameters from the product's own family.
 *
 * The coordinator builds every task's network as `modelSpec(task, featureCount)` (F-32-16-1 today), so the one size
 * knob the real engine exposes is the input width F: parameterCount is affine in F. Choosing F to fit gives a model of
 * ~D parameters that the unmodified Coordinator and FederatedClient train and aggregate.
 * From `@huddle/shared/modelCore`, so a load-bench node loads no tfjs (as a deployed coordinator node does not).
 */
const countFor = (inputSize: number): number => parameterCount(weightManifest(modelSpec('injury', inputSize)));

export function featureCountForParams(params: number): number {
  const fixed = countFor(0);
  const perInput = countFor(1) - fixed;
  return Math.max(1, Math.round((params - fixed) / perInput));
}

export function benchSpec(params: number): { featureCount: number; spec: ModelSpec; parameterCount: number } {
  const featureCount = featureCountForParams(params);
  const spec = modelSpec('injury', featureCount);
  return { featureCount, spec, parameterCount: countFor(featureCount) };
}
