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
  const built = new Map(ordered.map((layer) => [layer.name, layer]));
  return describeLayers(
    ordered.map((layer) => ({
      name: layer.name,
      className: layer.getClassName(),
      config: layer.getConfig() as Record<string, unknown>,
      inbound: inboundNames(layer),
    })),
    (node) => declaredOutputShape(built.get(node.name)!),
  );
}

/** A layer as a built model and a model.json topology both describe it (config keys in camelCase). */
export interface LayerNode {
  name: string;
  className: string;
  config: Record<string, unknown>;
  inbound: string[];
}

/**
 * The LayerInfo of each node, in the order given (inbound layers first). `declaredShape` gives a layer's
 * output shape without the batch dimension from the shapes of its inputs; sliding-window layers then get
 * their height and width from their geometry, so shapes and receptive fields come from one description.
 */
export function describeLayers(
  nodes: readonly LayerNode[],
  declaredShape: (node: LayerNode, kind: LayerKind, inputShapes: number[][]) => number[],
): LayerInfo[] {
  const known = new Map<string, LayerInfo>();
  return nodes.map((node) => {
    const kind = layerKind(node.className);
    if (node.config.dataFormat === 'channelsFirst' || node.config.dataFormat === 'channels_first') {
      throw new Error(
        `layer ${node.name} (${node.className}) uses channels_first; only channels_last models are supported`,
      );
    }
    const inputShapes = node.inbound
      .map((name) => known.get(name)?.outputShape)
      .filter((shape): shape is number[] => shape !== undefined);
    const inputShape = known.get(node.inbound[0])?.outputShape;
    const window =
      inputShape && node.inbound.length === 1 ? slidingWindow(kind, node.config, inputShape) : undefined;
    const declared = declaredShape(node, kind, inputShapes);
    const info: LayerInfo = {
      name: node.name,
      kind,
      className: node.className,
      outputShape: inputShape ? spatialShape(declared, inputShape, kind, window?.outputSize) : declared,
      inbound: node.inbound,
    };
    if (window) info.geometry = window.geometry;
    known.set(info.name, info);
    return info;
  });
}

/** The kind of a layer class ('other' for classes the graph does not interpret). */
export function layerKind(className: string): LayerKind {
  return KIND_BY_CLASS[className] ?? 'other';
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
