// Bounds on what one model may ask of a compute worker, measured from the layer graph before tf.js builds it.
// The values admit every pack model with margin (docs/limits.md lists each limit and its figures).
import { layerValues } from './topology';
import type { LayerInfo } from './types';

export interface ModelLimits {
  /** Values one layer outputs for one image (float32: 4 bytes each). Largest pack layer: 1 182 816. */
  maxLayerValues: number;
  /** Values all layers output together for one image. Largest pack: 11 501 880 (MobileNet v1 0.75). */
  maxTotalValues: number;
}

export const MODEL_LIMITS: ModelLimits = {
  maxLayerValues: 4 * 2 ** 20,
  maxTotalValues: 48 * 2 ** 20,
};

/** A model is bigger than a limit allows; the message names the layer and the limit. */
export class ModelLimitError extends Error {
  constructor(
    readonly limit: keyof ModelLimits,
    message: string,
  ) {
    super(message);
    this.name = 'ModelLimitError';
  }
}

export interface ActivationSize {
  largest: { layer: string; className: string; shape: number[]; values: number };
  total: number;
}

export function activationSize(layers: readonly LayerInfo[]): ActivationSize {
  let largest: ActivationSize['largest'] = { layer: '', className: '', shape: [], values: 0 };
  let total = 0;
  for (const layer of layers) {
    const values = layerValues(layer);
    total += values;
    if (values > largest.values) {
      largest = { layer: layer.name, className: layer.className, shape: layer.outputShape, values };
    }
  }
  return { largest, total };
}

/** Throws ModelLimitError when one layer, or all layers together, output more values than allowed. */
export function checkActivationSize(
  layers: readonly LayerInfo[],
  limits: ModelLimits = MODEL_LIMITS,
): ActivationSize {
  const size = activationSize(layers);
  const { largest } = size;
  if (largest.values > limits.maxLayerValues) {
    throw new ModelLimitError(
      'maxLayerValues',
      `layer ${largest.layer} (${largest.className}) outputs ${largest.shape.join('×')} = ` +
        `${formatCount(largest.values)} values per image; the limit is ${formatCount(limits.maxLayerValues)} per layer`,
    );
  }
  if (size.total > limits.maxTotalValues) {
    throw new ModelLimitError(
      'maxTotalValues',
      `the model's ${layers.length} layers output ${formatCount(size.total)} values per image together; ` +
        `the limit is ${formatCount(limits.maxTotalValues)}`,
    );
  }
  return size;
}

function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}
