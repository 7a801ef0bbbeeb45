// Test helpers: a tfjs instance per backend and tiny hand-built models.
// TEMPORARY pack loader until server/models/loadModel exists.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { layerGraph } from '@/lib/models/graph';
import type { LoadedModel, ModelManifest } from '@/lib/models/types';

export { tf };

export const packs = path.resolve(import.meta.dirname, '../../../../shared/packs');
export const hasPacks = existsSync(packs);

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

export function manifestFor(
  id: string,
  inputSize: ModelManifest['inputSize'],
  overrides: Partial<ModelManifest> = {},
): ModelManifest {
  return {
    id,
    name: id,
    source: 'test',
    inputSize,
    preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1, offset: 0, channels: inputSize.channels },
    labels: [],
    output: 'softmax',
    modelUrl: 'model.json',
    ...overrides,
  };
}

export function wrap(model: tf.LayersModel, manifest: ModelManifest): LoadedModel {
  return { manifest, model, layers: layerGraph(model), dispose: () => model.dispose() };
}

export async function loadPack(dir: string, manifest: ModelManifest): Promise<LoadedModel> {
  const root = path.join(packs, 'models', dir);
  const json = JSON.parse(readFileSync(path.join(root, 'model.json'), 'utf8'));
  const specs = json.weightsManifest.flatMap((g: { weights: unknown[] }) => g.weights);
  const buffers = json.weightsManifest.flatMap((g: { paths: string[] }) =>
    g.paths.map((p) => readFileSync(path.join(root, p))),
  );
  const all = Buffer.concat(buffers);
  const weightData = all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength);
  const model = await tf.loadLayersModel({
    load: async () => ({ modelTopology: json.modelTopology, weightSpecs: specs, weightData }),
  });
  return wrap(model, manifest);
}
