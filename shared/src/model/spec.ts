/**
 * Fixed model architectures. Every transfer uses the flat weight layout defined here:
 * for each dense layer in order, its kernel ([inputs, units], row-major) then its bias ([units]).
 */
export type TaskId = 'injury' | 'readiness';
export const TASK_IDS: readonly TaskId[] = ['injury', 'readiness'];

export type Activation = 'relu' | 'sigmoid' | 'linear';
export type LossKind = 'binaryCrossentropy' | 'meanSquaredError';

export interface ModelSpec {
  task: TaskId;
  inputSize: number;
  layers: { units: number; activation: Activation }[];
  loss: LossKind;
  /** The label is divided by this before training and predictions are multiplied by it. */
  labelScale: number;
}

export interface WeightEntry {
  name: string;
  shape: number[];
}

const HIDDEN: ModelSpec['layers'] = [
  { units: 32, activation: 'relu' },
  { units: 16, activation: 'relu' },
];

export function modelSpec(task: TaskId, inputSize: number): ModelSpec {
  switch (task) {
    case 'injury':
      return { task, inputSize, layers: [...HIDDEN, { units: 1, activation: 'sigmoid' }], loss: 'binaryCrossentropy', labelScale: 1 };
    case 'readiness':
      return { task, inputSize, layers: [...HIDDEN, { units: 1, activation: 'linear' }], loss: 'meanSquaredError', labelScale: 10 };
  }
}

/** Shape manifest of the flat weight vector, in layout order. */
export function weightManifest(spec: ModelSpec): WeightEntry[] {
  const out: WeightEntry[] = [];
  let fanIn = spec.inputSize;
  spec.layers.forEach((layer, i) => {
    out.push({ name: `dense_${i}/kernel`, shape: [fanIn, layer.units] });
    out.push({ name: `dense_${i}/bias`, shape: [layer.units] });
    fanIn = layer.units;
  });
  return out;
}

export function parameterCount(manifest: readonly WeightEntry[]): number {
  return manifest.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
}
