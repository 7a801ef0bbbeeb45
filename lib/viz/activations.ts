// Feature maps of any layer for one image, through a sub-model cut at that layer.
import type { LoadedModel } from '@/lib/models/types';
import type { FeatureMaps } from '@/lib/protocol/results';
import type { LayersModel, Tensor, Tf } from '@/lib/tf';
import { type ModelInput, toInputTensor } from './input';

export type { FeatureMaps };

// Sub-models share the parent's weights and own no tensors, so they are cached and never disposed
// (disposing one would release the parent's layers).
const subModels = new WeakMap<LayersModel, Map<string, LayersModel>>();

/** A model from the input to `layerName`'s output, cached per (model, layer). */
export function layerOutputModel(tf: Tf, loaded: LoadedModel, layerName: string): LayersModel {
  let cache = subModels.get(loaded.model);
  if (!cache) {
    cache = new Map();
    subModels.set(loaded.model, cache);
  }
  let sub = cache.get(layerName);
  if (!sub) {
    const layer = loaded.model.getLayer(layerName);
    if (loaded.model.outputs.length !== 1) throw new Error('models with several outputs are not supported');
    sub =
      layer === loaded.model.layers[loaded.model.layers.length - 1]
        ? loaded.model
        : tf.model({ inputs: loaded.model.inputs, outputs: layer.output as ReturnType<typeof tf.input> });
    cache.set(layerName, sub);
  }
  return sub;
}

/** [height, width, channels] of a layer's output for one image. */
export function spatialShape(shape: readonly (number | null)[]): [number, number, number] {
  const dims = shape.slice(1).map((d) => d ?? 1);
  if (dims.length === 3) return [dims[0], dims[1], dims[2]];
  if (dims.length === 1) return [1, 1, dims[0]];
  const channels = dims[dims.length - 1];
  const spatial = dims.slice(0, -1).reduce((a, b) => a * b, 1);
  return [1, spatial, channels];
}

/** Runs the sub-model for `layerName` on a batch; the caller disposes the [N,H,W,C]-like result. */
export function layerActivations(tf: Tf, loaded: LoadedModel, layerName: string, batch: Tensor): Tensor {
  const sub = layerOutputModel(tf, loaded, layerName);
  return sub.predict(batch) as Tensor;
}

export async function featureMaps(
  tf: Tf,
  loaded: LoadedModel,
  input: ModelInput,
  layerName: string,
): Promise<FeatureMaps> {
  const output = tf.tidy(() => {
    const x = toInputTensor(tf, loaded.manifest, input);
    return layerActivations(tf, loaded, layerName, x);
  });
  try {
    const [height, width, channels] = spatialShape(output.shape);
    const data = (await output.data()) as Float32Array;
    return { layer: layerName, height, width, channels, data: Float32Array.from(data) };
  } finally {
    output.dispose();
  }
}
