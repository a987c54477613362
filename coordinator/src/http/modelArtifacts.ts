import { encodeWeights, modelFamily, type ModelSettings, type ModelSpec } from '@huddle/shared/modelCore';

type Tfjs = typeof import('@tensorflow/tfjs');
type TfModel = typeof import('@huddle/shared/model');

let tfjsLoaded: Promise<{ tf: Tfjs; model: TfModel }> | null = null;

/**
 * @tensorflow/tfjs (about 46 MB of a node's memory) and the tfjs model builder, loaded on the first request for a
 * network's model.json: nothing the coordinator imports at start loads them (coordinator/test/noTfjsAtStart.test.ts).
 */
function loadTfjs(): Promise<{ tf: Tfjs; model: TfModel }> {
  tfjsLoaded ??= Promise.all([import('@tensorflow/tfjs'), import('@huddle/shared/model')]).then(([tf, model]) => {
    // Production mode only silences tfjs's console notes, among them the "install our node backend"
    // banner its CPU backend prints in Node: the coordinator only serialises weights with it.
    tf.enableProdMode();
    return { tf, model };
  });
  return tfjsLoaded;
}

export interface TfjsModelFiles {
  modelJson: object;
  weightsBin: Uint8Array;
}

/**
 * The global model's files: the network as tfjs layers-model files (below); the additive model and the trees as the
 * same pair with format "huddle-additive" or "huddle-trees", their flat float32 parameters in weights.bin and their
 * settings in the metadata.
 */
export async function modelFiles(spec: ModelSpec, settings: ModelSettings, weights: Float32Array): Promise<TfjsModelFiles> {
  if (settings.kind === 'network') return tfjsModelFiles(spec, weights);
  return {
    modelJson: {
      format: `huddle-${settings.kind}`,
      weightsManifest: [{ paths: ['weights.bin'], weights: modelFamily(settings.kind).manifest(spec, settings).map((w) => ({ ...w, dtype: 'float32' })) }],
      userDefinedMetadata: { task: spec.task, labelScale: spec.labelScale, inputSize: spec.inputSize, model: settings },
    },
    weightsBin: encodeWeights(weights),
  };
}

/** The global model as tfjs layers-model files (model.json + weights.bin), loadable by tf.loadLayersModel. */
export async function tfjsModelFiles(spec: ModelSpec, weights: Float32Array): Promise<TfjsModelFiles> {
  const { tf, model: tfModel } = await loadTfjs();
  if (tf.getBackend() === undefined || tf.getBackend() === null) await tf.setBackend('cpu');
  const model = tfModel.buildTfModel(spec);
  tfModel.setFlatWeights(model, spec, weights);
  let files: TfjsModelFiles | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(await new Blob(data as ArrayBuffer[]).arrayBuffer());
      files = {
        modelJson: {
          format: 'layers-model',
          generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
          convertedBy: null,
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
          userDefinedMetadata: { task: spec.task, labelScale: spec.labelScale, inputSize: spec.inputSize },
        },
        weightsBin: bytes,
      };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  model.dispose();
  if (!files) throw new Error('tfjs did not hand over the model artifacts');
  return files;
}
