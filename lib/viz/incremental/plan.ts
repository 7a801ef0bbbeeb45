// How each layer of a model can run on a window of its input instead of the whole map.
import type { LayerGeometry, LayerInfo, LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';
import type { WindowAxis } from './geometry';

type Layer = LoadedModel['model']['layers'][number];

/** A sliding-window layer run with 'valid' padding on a crop whose padding the executor supplies. */
export interface WindowStep {
  kind: 'window';
  axes: [WindowAxis, WindowAxis];
  /** What the layer's own padding stands for: 0 for convolutions, −∞ for max pooling. */
  padValue: number;
  run: (x: Tensor) => Tensor;
}

/** A layer that treats every position alike and on its own (batch norm, activations, dropout). */
export interface PointwiseStep {
  kind: 'pointwise';
  run: (x: Tensor) => Tensor;
}

/**
 * Global average pooling: a window changes the mean by its summed change over the map's size, so the
 * executor updates the clean mean instead of averaging a whole map per patch position.
 */
export interface GlobalMeanStep {
  kind: 'global-mean';
  run: (x: Tensor) => Tensor;
}

/** An element-wise merge or channel concatenation of same-grid inputs. */
export interface MergeStep {
  kind: 'merge';
  run: (xs: Tensor[]) => Tensor;
}

/** Anything else runs on whole maps (global pooling, flatten, dense …). */
export interface FullStep {
  kind: 'full';
  run: (xs: Tensor[]) => Tensor;
}

export type Step = { kind: 'input' } | WindowStep | PointwiseStep | MergeStep | GlobalMeanStep | FullStep;

export interface PlannedLayer {
  info: LayerInfo;
  step: Step;
}

const POINTWISE = new Set([
  'BatchNormalization',
  'Activation',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Dropout',
  'SpatialDropout2D',
  'GaussianDropout',
  'GaussianNoise',
  'AlphaDropout',
]);

const MERGE = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Minimum', 'Subtract', 'Concatenate']);

// Activations a convolution kernel can apply itself. tfjs-layers fuses relu, linear and elu, and runs
// relu6 as min(6, relu(x)): a clamp, exact either way, and the fused clamp avoids a slow broadcast on wasm.
const FUSED_ACTIVATIONS = new Set(['relu', 'linear', 'elu', 'relu6']);

type Config = Record<string, unknown>;

function pair(value: unknown): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  return [Number(value), Number(value)];
}

function isSpatial(shape: readonly number[] | undefined): boolean {
  return shape !== undefined && shape.length === 3;
}

function activationOf(tf: Tf, config: Config): ((x: Tensor) => Tensor) | undefined {
  const name = String(config.activation ?? 'linear');
  if (name === 'linear') return undefined;
  if (name === 'relu6') return (x) => tf.relu6(x);
  const layer = tf.layers.activation({ activation: name as 'relu' });
  return (x) => layer.apply(x) as Tensor;
}

function windowAxes(info: LayerInfo, input: LayerInfo): [WindowAxis, WindowAxis] | undefined {
  const g = info.geometry;
  if (!g || !isSpatial(input.outputShape) || !isSpatial(info.outputShape)) return undefined;
  const axis = (a: 0 | 1): WindowAxis => ({
    extent: (g.kernel[a] - 1) * g.dilation[a] + 1,
    stride: g.stride[a],
    padBefore: g.padBefore[a],
    inputSize: input.outputShape[a],
    outputSize: info.outputShape[a],
  });
  const axes: [WindowAxis, WindowAxis] = [axis(0), axis(1)];
  return axes.every((a) => a.padBefore >= 0) ? axes : undefined;
}

/** What a convolution computes, with weights the caller may have folded. */
export interface Convolution {
  depthwise: boolean;
  filter: Tensor;
  bias?: Tensor;
  geometry: LayerGeometry;
  /** Fused into the kernel. */
  activation: FusedActivation;
}

export type FusedActivation = 'linear' | 'relu' | 'relu6' | 'elu';

/** A convolution on a crop the executor has padded: 'valid', bias and activation fused where the backend can. */
export function convolutionRun(tf: Tf, conv: Convolution): WindowStep['run'] {
  type Args = Parameters<Tf['fused']['conv2d']>[0];
  const { bias, activation } = conv;
  const filter = conv.filter as Args['filter'];
  const fixed = {
    strides: conv.geometry.stride,
    pad: 'valid',
    dilations: conv.geometry.dilation,
    dataFormat: 'NHWC',
    bias,
    activation,
  } as const;
  return conv.depthwise
    ? (x) => tf.fused.depthwiseConv2d({ x: x as Args['x'], filter, ...fixed })
    : (x) => tf.fused.conv2d({ x: x as Args['x'], filter, ...fixed });
}

function windowRun(
  tf: Tf,
  layer: Layer,
  config: Config,
  geometry: LayerGeometry,
): WindowStep['run'] | undefined {
  const strides = geometry.stride;
  const weights = layer.getWeights();
  switch (layer.getClassName()) {
    case 'Conv2D': {
      const [filter, bias] = weights;
      const name = String(config.activation ?? 'linear');
      const fused = FUSED_ACTIVATIONS.has(name);
      const after = fused ? undefined : activationOf(tf, config);
      const run = convolutionRun(tf, {
        depthwise: false,
        filter,
        bias,
        geometry,
        activation: fused ? (name as FusedActivation) : 'linear',
      });
      return after ? (x) => after(run(x)) : run;
    }
    case 'DepthwiseConv2D': {
      // Unfused, as tfjs-layers runs it: the same numbers as the full pass.
      const [kernel, bias] = weights;
      const after = activationOf(tf, config);
      return (x) => {
        let y: Tensor = tf.depthwiseConv2d(
          x as Parameters<Tf['depthwiseConv2d']>[0],
          kernel as Parameters<Tf['depthwiseConv2d']>[1],
          strides,
          'valid',
          'NHWC',
          geometry.dilation,
        );
        if (bias) y = tf.add(y, tf.reshape(bias, [1, 1, 1, -1]));
        return after ? after(y) : y;
      };
    }
    case 'MaxPooling2D':
    case 'MaxPool2D': {
      const size = pair(config.poolSize ?? 2);
      return (x) => tf.maxPool(x as Parameters<Tf['maxPool']>[0], size, strides, 'valid');
    }
    case 'AveragePooling2D':
    case 'AvgPool2D': {
      // 'same' average pooling divides by the count of real pixels: not a plain padded window.
      if (config.padding !== 'valid') return undefined;
      const size = pair(config.poolSize ?? 2);
      return (x) => tf.avgPool(x as Parameters<Tf['avgPool']>[0], size, strides, 'valid');
    }
    case 'ZeroPadding2D':
      return (x) => x;
    default:
      return undefined;
  }
}

function padValueOf(layer: Layer): number {
  const name = layer.getClassName();
  return name === 'MaxPooling2D' || name === 'MaxPool2D' ? Number.NEGATIVE_INFINITY : 0;
}

function applyLayer(layer: Layer): FullStep['run'] {
  return (xs) => layer.apply(xs.length === 1 ? xs[0] : xs) as Tensor;
}

function planLayer(tf: Tf, loaded: LoadedModel, info: LayerInfo, byName: Map<string, LayerInfo>): Step {
  if (info.kind === 'input') return { kind: 'input' };
  const layer = loaded.model.getLayer(info.name);
  const config = layer.getConfig() as Config;
  const inputs = info.inbound.map((name) => byName.get(name));
  const spatialIn = inputs.length > 0 && inputs.every((i) => isSpatial(i?.outputShape));
  const channelsLast = config.dataFormat === undefined || config.dataFormat === 'channelsLast';
  const className = layer.getClassName();
  const full: FullStep = { kind: 'full', run: applyLayer(layer) };
  const globalMean =
    (className === 'GlobalAveragePooling2D' || className === 'GlobalAvgPool2D') && !config.keepDims;
  if (globalMean && channelsLast && inputs.length === 1 && spatialIn) {
    return { kind: 'global-mean', run: (x) => layer.apply(x) as Tensor };
  }
  if (!spatialIn || !channelsLast || !isSpatial(info.outputShape)) return full;

  if (inputs.length === 1) {
    const axes = windowAxes(info, inputs[0]!);
    const run = axes && info.geometry && windowRun(tf, layer, config, info.geometry);
    if (axes && run) return { kind: 'window', axes, padValue: padValueOf(layer), run };
    const sameGrid =
      info.outputShape[0] === inputs[0]!.outputShape[0] && info.outputShape[1] === inputs[0]!.outputShape[1];
    const softmaxOnChannels = className !== 'Softmax' || [undefined, -1, 3].includes(config.axis as number);
    if (POINTWISE.has(className) && sameGrid && softmaxOnChannels) {
      const relu6 = className === 'Activation' && config.activation === 'relu6';
      return { kind: 'pointwise', run: relu6 ? (x) => tf.relu6(x) : (x) => layer.apply(x) as Tensor };
    }
    return full;
  }
  const sameGrids = inputs.every(
    (i) => i!.outputShape[0] === info.outputShape[0] && i!.outputShape[1] === info.outputShape[1],
  );
  const onChannels = className !== 'Concatenate' || [undefined, -1, 3].includes(config.axis as number);
  if (MERGE.has(className) && sameGrids && onChannels) {
    return { kind: 'merge', run: (xs) => layer.apply(xs) as Tensor };
  }
  return full;
}

/** Every layer in topological order with how it can run on windows. */
export function planModel(tf: Tf, loaded: LoadedModel): PlannedLayer[] {
  if (loaded.layers.length === 0)
    throw new Error('incremental inference needs the layer graph (loaded.layers)');
  const byName = new Map(loaded.layers.map((l) => [l.name, l]));
  return loaded.layers.map((info) => ({ info, step: planLayer(tf, loaded, info, byName) }));
}
