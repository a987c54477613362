import { publishedEvaluationSchema, type PublishedEvaluation } from '@huddle/shared/metrics';
import { legacyModelSettings, modelFamily, modelSettingsSchema, modelSpec, parameterCount, TASK_IDS, type ModelSettings, type ModelSpec, type TaskId } from '@huddle/shared/model';

export interface GlobalModel {
  task: TaskId;
  round: number;
  spec: ModelSpec;
  /** Which model class the weights belong to and what it predicts. */
  model: ModelSettings;
  weights: Float32Array;
  source: 'download' | 'round';
  /** The validated quality and federation standing published with exactly this version (download only). */
  published?: PublishedEvaluation | null;
}

interface WeightSpecJson {
  name: string;
  shape: number[];
  dtype?: string;
}

interface ModelJson {
  format?: string;
  weightsManifest?: { paths: string[]; weights: WeightSpecJson[] }[];
  userDefinedMetadata?: { task?: string; labelScale?: number; inputSize?: number; model?: unknown; published?: unknown };
}

export class ModelFetchError extends Error {
  override name = 'ModelFetchError';
}

/**
 * The latest global model of a task from `GET /api/tasks/:task/model/model.json` (tfjs layers format) and its weight
 * files, checked against the fixed architecture and returned in the flat weight layout.
 */
/** `origin` must be absolute (`https://host:port`): weight paths are resolved against model.json's URL. */
export async function fetchGlobalModel(origin: string, task: TaskId, fetchImpl: typeof fetch = fetch): Promise<GlobalModel> {
  const url = `${origin}/api/tasks/${task}/model/model.json`;
  const res = await fetchImpl(url, { cache: 'no-store' });
  if (!res.ok) throw new ModelFetchError(`the ${task} model is not available (HTTP ${res.status})`);
  const json = (await res.json()) as ModelJson;
  const round = Number(res.headers.get('X-Huddle-Round') ?? '0');
  const meta = json.userDefinedMetadata ?? {};
  const flat = json.format === 'huddle-additive' || json.format === 'huddle-trees';
  if ((json.format !== 'layers-model' && !flat) || !json.weightsManifest) throw new ModelFetchError(`the ${task} model is neither a tfjs layers model nor an additive or tree model`);
  if (meta.task !== undefined && meta.task !== task) throw new ModelFetchError(`asked for the ${task} model, got ${String(meta.task)}`);
  if (typeof meta.inputSize !== 'number' || typeof meta.labelScale !== 'number') throw new ModelFetchError(`the ${task} model lacks its metadata`);
  const spec: ModelSpec = { ...modelSpec(task, meta.inputSize), labelScale: meta.labelScale };
  const settings = flat ? modelSettingsSchema.safeParse(meta.model) : { success: true as const, data: legacyModelSettings(task) };
  if (!settings.success) throw new ModelFetchError(`the ${task} model's settings are not valid`);
  if (flat && json.format !== `huddle-${settings.data.kind}`) throw new ModelFetchError(`the ${task} model's format ${json.format} does not match its settings (${settings.data.kind})`);
  const manifest = modelFamily(settings.data.kind).manifest(spec, settings.data);
  const specs = json.weightsManifest.flatMap((g) => g.weights);
  if (specs.length !== manifest.length) throw new ModelFetchError(`the ${task} model has ${specs.length} weight tensors, expected ${manifest.length}`);
  specs.forEach((w, i) => {
    const expected = manifest[i]!;
    if ((w.dtype ?? 'float32') !== 'float32' || w.shape.join('x') !== expected.shape.join('x')) {
      throw new ModelFetchError(`weight ${w.name} of the ${task} model does not match the architecture`);
    }
  });
  const buffers: ArrayBuffer[] = [];
  for (const group of json.weightsManifest) {
    for (const path of group.paths) {
      const r = await fetchImpl(new URL(path, url).href, { cache: 'no-store' });
      if (!r.ok) throw new ModelFetchError(`weights of the ${task} model are not available (HTTP ${r.status})`);
      buffers.push(await r.arrayBuffer());
    }
  }
  const total = buffers.reduce((n, b) => n + b.byteLength, 0);
  const count = parameterCount(manifest);
  if (total !== count * 4) throw new ModelFetchError(`the ${task} model has ${total} bytes of weights, expected ${count * 4}`);
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const b of buffers) {
    bytes.set(new Uint8Array(b), offset);
    offset += b.byteLength;
  }
  const view = new DataView(bytes.buffer);
  const weights = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const v = view.getFloat32(i * 4, true);
    if (!Number.isFinite(v)) throw new ModelFetchError(`the ${task} model has a non-finite weight`);
    weights[i] = v;
  }
  const finalRound = Number.isFinite(round) ? round : 0;
  // Anything malformed, or published for another version, counts as not published: the app then shows no forecast.
  const published = publishedEvaluationSchema.safeParse(meta.published);
  const ownPublished = published.success && published.data.model.round === finalRound ? published.data : null;
  return { task, round: finalRound, spec, model: settings.data, weights, source: 'download', published: ownPublished };
}

export function isTaskId(value: unknown): value is TaskId {
  return typeof value === 'string' && (TASK_IDS as readonly string[]).includes(value);
}
