// A manifest for a model that came without one: input size from the topology, plain x/255 scaling, labels named
// by class index ("class 0", …) from the output size; without `classes` the list stays empty and is filled at load.
import { ManifestError } from './manifest';
import type { ModelJson } from './model-json';
import { topologyInputShape } from './model-json';
import type { ModelManifest } from './types';

export interface InferManifestOptions {
  id: string;
  name?: string;
  source: string;
  modelUrl?: string;
  /** Output classes, when the topology has been measured (lib/models/inspect.ts). */
  classes?: number;
}

/** Names for classes known only by their index. */
export function indexLabels(classes: number): string[] {
  return Array.from({ length: classes }, (_, index) => `class ${index}`);
}

export function inferManifest(modelJson: ModelJson, options: InferManifestOptions): ModelManifest {
  const shape = topologyInputShape(modelJson);
  if (shape?.length !== 3 || shape.some((dim) => dim < 1) || (shape[2] !== 1 && shape[2] !== 3)) {
    throw new ManifestError(options.source, [
      `cannot infer a manifest: the model's input is [${shape?.join(', ') ?? 'unknown'}], ` +
        'expected [height, width, 1 or 3]',
    ]);
  }
  const [height, width, channels] = shape as [number, number, 1 | 3];
  return {
    id: options.id,
    name: options.name ?? options.id,
    source: options.source,
    inputSize: { height, width, channels },
    preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1 / 255, offset: 0, channels },
    labels: options.classes ? indexLabels(options.classes) : [],
    output: endsWithSoftmax(modelJson) ? 'softmax' : 'logits',
    modelUrl: options.modelUrl ?? 'model.json',
    description: 'Manifest inferred from model.json: input scaled x/255, labels are class indices.',
  };
}

interface LayerJson {
  class_name?: string;
  config?: { activation?: string };
}

/** Whether the last layer that computes something (not a reshape, flatten or dropout) is a softmax. */
function endsWithSoftmax(modelJson: ModelJson): boolean {
  const topology = modelJson.modelTopology as Record<string, unknown>;
  const root = (topology.model_config ?? topology) as { config?: unknown };
  const config = root.config as { layers?: LayerJson[] } | LayerJson[] | undefined;
  const layers = (Array.isArray(config) ? config : (config?.layers ?? [])).filter(
    (layer) => !['Reshape', 'Flatten', 'Dropout'].includes(layer.class_name ?? ''),
  );
  const last = layers[layers.length - 1];
  return last?.class_name === 'Softmax' || last?.config?.activation === 'softmax';
}
