// The layer graph of a tf.js LayersModel: kind, output shape, inbound layers and window geometry of every layer.
import type { LayersModel } from '@tensorflow/tfjs';
import type { LayerGeometry, LayerInfo, LayerKind } from './types';

type Layer = LayersModel['layers'][number];
type Pair = [number, number];

const KIND_BY_CLASS: Record<string, LayerKind> = {
  InputLayer: 'input',
  Conv2D: 'conv2d',
  DepthwiseConv2D: 'depthwise-conv2d',
  SeparableConv2D: 'separable-conv2d',
  MaxPooling2D: 'max-pool',
  MaxPool2D: 'max-pool',
  AveragePooling2D: 'avg-pool',
  AvgPool2D: 'avg-pool',
  ZeroPadding2D: 'zero-padding',
  Cropping2D: 'cropping',
  Concatenate: 'concatenate',
  // Element-wise merges: each output pixel sees the same pixel of every input.
  Add: 'add',
  Average: 'add',
  Maximum: 'add',
  Minimum: 'add',
  Multiply: 'add',
  Subtract: 'add',
  BatchNormalization: 'pointwise',
  LayerNormalization: 'pointwise',
  Activation: 'pointwise',
  ReLU: 'pointwise',
  LeakyReLU: 'pointwise',
  PReLU: 'pointwise',
  ELU: 'pointwise',
  ThresholdedReLU: 'pointwise',
  Softmax: 'pointwise',
  Dropout: 'pointwise',
  SpatialDropout1D: 'pointwise',
  SpatialDropout2D: 'pointwise',
  AlphaDropout: 'pointwise',
  GaussianDropout: 'pointwise',
  GaussianNoise: 'pointwise',
  GlobalAveragePooling2D: 'global-pool',
  GlobalMaxPooling2D: 'global-pool',
  GlobalAvgPool2D: 'global-pool',
  GlobalMaxPool2D: 'global-pool',
  Flatten: 'flatten',
  Reshape: 'reshape',
  Dense: 'dense',
};

/** Every layer of the model in topological order, the image input first. */
export function layerGraph(model: LayersModel): LayerInfo[] {
  const ordered: Layer[] = [];
  for (const input of model.inputs) {
    const layer = input.sourceLayer as Layer;
    // Sequential models keep their InputLayer out of model.layers.
    if (!model.layers.includes(layer)) ordered.push(layer);
  }
  ordered.push(...model.layers);

  const byName = new Map<string, LayerInfo>();
  return ordered.map((layer) => {
    const info = describeLayer(layer, byName);
    byName.set(info.name, info);
    return info;
  });
}

function describeLayer(layer: Layer, known: Map<string, LayerInfo>): LayerInfo {
  const className = layer.getClassName();
  const kind = KIND_BY_CLASS[className] ?? 'other';
  const config = layer.getConfig() as Record<string, unknown>;
  if (config.dataFormat === 'channelsFirst') {
    throw new Error(
      `layer ${layer.name} (${className}) uses channels_first; only channels_last models are supported`,
    );
  }
  const inbound = inboundNames(layer);
  const inputShape = inbound.length > 0 ? known.get(inbound[0])?.outputShape : undefined;
  const window = inputShape && inbound.length === 1 ? slidingWindow(kind, config, inputShape) : undefined;
  const declared = declaredOutputShape(layer);
  const info: LayerInfo = {
    name: layer.name,
    kind,
    className,
    outputShape: inputShape ? spatialShape(declared, inputShape, kind, window?.outputSize) : declared,
    inbound,
  };
  if (window) info.geometry = window.geometry;
  return info;
}

function inboundNames(layer: Layer): string[] {
  const node = layer.inboundNodes[0];
  return node ? node.inboundLayers.map((inbound) => inbound.name) : [];
}

function declaredOutputShape(layer: Layer): number[] {
  const shape = layer.outputShape;
  const single = Array.isArray(shape[0]) ? (shape[0] as (number | null)[]) : (shape as (number | null)[]);
  return single.slice(1).map((dim) => dim ?? -1);
}

/**
 * Height and width of sliding-window layers computed from the input and the geometry, so the shapes and
 * the receptive fields come from one description of each layer.
 */
function spatialShape(
  declared: number[],
  inputShape: number[],
  kind: LayerKind,
  windowSize?: Pair,
): number[] {
  if (declared.length !== 3 || inputShape.length !== 3) return declared;
  if (windowSize) return [windowSize[0], windowSize[1], declared[2]];
  const sameGrid = kind === 'pointwise' || kind === 'concatenate' || kind === 'add';
  return sameGrid ? [inputShape[0], inputShape[1], declared[2]] : declared;
}

/** Window geometry of a sliding-window layer; undefined for the others. */
export function layerGeometry(
  kind: LayerKind,
  config: Record<string, unknown>,
  inputShape: number[],
): LayerGeometry | undefined {
  return slidingWindow(kind, config, inputShape)?.geometry;
}

interface SlidingWindow {
  geometry: LayerGeometry;
  outputSize: Pair;
}

function slidingWindow(
  kind: LayerKind,
  config: Record<string, unknown>,
  inputShape: number[],
): SlidingWindow | undefined {
  if (inputShape.length !== 3) return undefined;
  const inputSize: Pair = [inputShape[0], inputShape[1]];
  switch (kind) {
    case 'conv2d':
    case 'depthwise-conv2d':
    case 'separable-conv2d':
      return windowLayer(
        pair(config.kernelSize),
        pair(config.strides ?? 1),
        // tf.js 4.22's DepthwiseConv2D ignores its dilationRate (it convolves undilated): describe what runs.
        kind === 'depthwise-conv2d' ? [1, 1] : pair(config.dilationRate ?? 1),
        String(config.padding ?? 'valid'),
        inputSize,
      );
    case 'max-pool':
    case 'avg-pool': {
      const kernel = pair(config.poolSize ?? 2);
      return windowLayer(
        kernel,
        pair(config.strides ?? kernel),
        [1, 1],
        String(config.padding ?? 'valid'),
        inputSize,
      );
    }
    case 'zero-padding': {
      const [[top, bottom], [left, right]] = paddingPairs(config.padding);
      return unitWindow([top, left], [inputSize[0] + top + bottom, inputSize[1] + left + right]);
    }
    case 'cropping': {
      const [[top, bottom], [left, right]] = paddingPairs(config.cropping);
      return unitWindow([-top, -left], [inputSize[0] - top - bottom, inputSize[1] - left - right]);
    }
    default:
      return undefined;
  }
}

function unitWindow(padBefore: Pair, outputSize: Pair): SlidingWindow {
  return { geometry: { kernel: [1, 1], stride: [1, 1], dilation: [1, 1], padBefore }, outputSize };
}

function windowLayer(
  kernel: Pair,
  stride: Pair,
  dilation: Pair,
  padding: string,
  inputSize: Pair,
): SlidingWindow {
  const same = padding === 'same';
  const axis = (i: 0 | 1) => {
    const effectiveKernel = (kernel[i] - 1) * dilation[i] + 1;
    return same
      ? {
          padBefore: samePadBefore(inputSize[i], kernel[i], stride[i], dilation[i]),
          size: Math.ceil(inputSize[i] / stride[i]),
        }
      : { padBefore: 0, size: Math.floor((inputSize[i] - effectiveKernel) / stride[i]) + 1 };
  };
  const [rows, cols] = [axis(0), axis(1)];
  return {
    geometry: { kernel, stride, dilation, padBefore: [rows.padBefore, cols.padBefore] },
    outputSize: [rows.size, cols.size],
  };
}

/**
 * TF 'same' padding: the output has ceil(in / stride) pixels and the padding it needs is split with the
 * smaller half before (TF puts the odd pixel after, unlike Caffe).
 */
export function samePadBefore(inputSize: number, kernel: number, stride: number, dilation: number): number {
  const effectiveKernel = (kernel - 1) * dilation + 1;
  const outputSize = Math.ceil(inputSize / stride);
  const total = Math.max((outputSize - 1) * stride + effectiveKernel - inputSize, 0);
  return Math.floor(total / 2);
}

function pair(value: unknown): Pair {
  if (typeof value === 'number') return [value, value];
  if (Array.isArray(value) && value.length === 2 && value.every((v) => typeof v === 'number')) {
    return [value[0], value[1]];
  }
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === 'number') return [value[0], value[0]];
  throw new Error(`expected a number or a pair of numbers, got ${JSON.stringify(value)}`);
}

/** ZeroPadding2D / Cropping2D accept n, [rows, cols] or [[top, bottom], [left, right]]. */
function paddingPairs(value: unknown): [Pair, Pair] {
  if (typeof value === 'number') {
    return [
      [value, value],
      [value, value],
    ];
  }
  if (Array.isArray(value) && value.length === 2) {
    const [rows, cols] = value as unknown[];
    return [pair(rows), pair(cols)];
  }
  throw new Error(
    `expected padding as n, [rows, cols] or [[top, bottom], [left, right]], got ${JSON.stringify(value)}`,
  );
}

/** True when the layer's output is an image-shaped [height, width, channels]. */
export function isSpatial(layer: LayerInfo): boolean {
  return layer.outputShape.length === 3;
}
