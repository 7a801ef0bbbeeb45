// The model's forward pass rebuilt from its layers for gradient ascent on the input. It computes the same
// function as the model (within float rounding: a unit test compares every layer), but cheaper to
// differentiate: batch norm is folded into the convolution before it, convolutions run unfused (tf.js's
// fused convolution also computes the filter and bias gradients, which are not needed here), and 1×1
// convolutions are matrix products whose gradient uses a transposed copy of the weights. Layers without a
// fast path run through the Keras layer itself.
import type { Tensor1D, Tensor2D } from '@tensorflow/tfjs';
import type { LayerInfo, LoadedModel } from '@/lib/models/types';
import type { Tensor, Tensor4D, Tf } from '@/lib/tf';
import { ConstantMatrix, timesMatrix } from './linear-ops';

type Layer = LoadedModel['model']['layers'][number];
type Run = (inputs: Tensor[]) => Tensor;

interface ConvConfig {
  strides: [number, number];
  padding: 'same' | 'valid';
  dilationRate: [number, number];
  activation?: string;
  useBias?: boolean;
  depthMultiplier?: number;
}

interface BatchNormConfig {
  axis: number;
  epsilon: number;
  center: boolean;
  scale: boolean;
}

export interface DifferentiableNetwork {
  /** The outputs of the named layers for an input batch [N, H, W, C] (already scaled for the model). */
  run(input: Tensor4D): Map<string, Tensor>;
  dispose(): void;
}

/** Per-channel scale and shift of an inference-mode batch norm: y = x·scale + shift. */
function batchNormAffine(tf: Tf, layer: Layer): { scale: Tensor1D; shift: Tensor1D } {
  const config = layer.getConfig() as unknown as BatchNormConfig;
  const weights = layer.getWeights();
  let i = 0;
  const gamma = config.scale ? weights[i++] : undefined;
  const beta = config.center ? weights[i++] : undefined;
  const [mean, variance] = [weights[i], weights[i + 1]];
  return tf.tidy(() => {
    const inverse = tf.rsqrt(tf.add(variance, config.epsilon));
    const scale = (gamma ? tf.mul(gamma, inverse) : inverse) as Tensor1D;
    const shifted = tf.neg(tf.mul(mean, scale));
    return { scale, shift: (beta ? tf.add(shifted, beta) : shifted) as Tensor1D };
  });
}

/**
 * The layers needed for `outputs`, each with a differentiable run function. Convolutions whose only consumer
 * is a batch norm take it in (kernel·scale, bias·scale + shift) and the batch norm becomes the identity.
 */
export function differentiableNetwork(
  tf: Tf,
  loaded: LoadedModel,
  outputs: readonly string[],
): DifferentiableNetwork {
  const byName = new Map(loaded.layers.map((l) => [l.name, l]));
  const needed = new Set<string>();
  const visit = (name: string) => {
    if (needed.has(name)) return;
    const info = byName.get(name);
    if (!info) throw new RangeError(`unknown layer "${name}"`);
    needed.add(name);
    for (const inbound of info.inbound) visit(inbound);
  };
  for (const name of outputs) visit(name);
  const consumers = new Map<string, string[]>();
  for (const info of loaded.layers) {
    for (const inbound of info.inbound)
      consumers.set(inbound, [...(consumers.get(inbound) ?? []), info.name]);
  }

  const owned: { dispose(): void }[] = [];
  const runs = new Map<string, Run>();
  const identity = new Set<string>();
  for (const info of loaded.layers) {
    if (!needed.has(info.name) || identity.has(info.name) || info.kind === 'input') continue;
    const layer = loaded.model.getLayer(info.name);
    const next = consumers.get(info.name) ?? [];
    const linearConv =
      (info.className === 'Conv2D' || info.className === 'DepthwiseConv2D') &&
      [undefined, 'linear'].includes((layer.getConfig() as { activation?: string }).activation);
    const foldable =
      linearConv &&
      !outputs.includes(info.name) &&
      next.length === 1 &&
      needed.has(next[0]) &&
      byName.get(next[0])!.className === 'BatchNormalization' &&
      isChannelsLastNorm(loaded.model.getLayer(next[0]));
    const norm = foldable ? loaded.model.getLayer(next[0]) : undefined;
    const run =
      convolution(tf, info, layer, norm, owned) ?? batchNorm(tf, info, layer, owned) ?? relu(tf, info, layer);
    if (run && norm) identity.add(norm.name);
    runs.set(info.name, run ?? ((inputs) => layer.apply(inputs.length === 1 ? inputs[0] : inputs) as Tensor));
  }

  return {
    run(input) {
      const values = new Map<string, Tensor>();
      for (const info of loaded.layers) {
        if (!needed.has(info.name)) continue;
        if (info.kind === 'input') values.set(info.name, input);
        else if (identity.has(info.name)) values.set(info.name, values.get(info.inbound[0])!);
        else values.set(info.name, runs.get(info.name)!(info.inbound.map((name) => values.get(name)!)));
      }
      return new Map(outputs.map((name) => [name, values.get(name)!]));
    },
    dispose() {
      for (const item of owned) item.dispose();
    },
  };
}

function isChannelsLastNorm(layer: Layer): boolean {
  const axis = (layer.getConfig() as unknown as BatchNormConfig).axis;
  return axis === -1 || axis === 3;
}

/** Conv2D or DepthwiseConv2D, unfused, with a following batch norm folded in; undefined for other layers. */
function convolution(
  tf: Tf,
  info: LayerInfo,
  layer: Layer,
  norm: Layer | undefined,
  owned: { dispose(): void }[],
): Run | undefined {
  const depthwise = info.className === 'DepthwiseConv2D';
  if (!depthwise && info.className !== 'Conv2D') return undefined;
  const config = layer.getConfig() as unknown as ConvConfig & { dataFormat?: string };
  if (config.dataFormat === 'channelsFirst') return undefined;
  const [kernel, bias] = layer.getWeights();
  const [kh, kw, inChannels, perChannel] = kernel.shape as [number, number, number, number];
  const outChannels = depthwise ? inChannels * perChannel : perChannel;
  const affine = norm ? batchNormAffine(tf, norm) : undefined;
  const weights = tf.tidy(() => {
    // Output channel o of a depthwise kernel is [.., o / multiplier, o % multiplier].
    const scale = affine
      ? tf.reshape(affine.scale, depthwise ? [1, 1, inChannels, perChannel] : [outChannels])
      : undefined;
    const scaledKernel = scale ? tf.mul(kernel, scale) : tf.clone(kernel);
    const baseBias = config.useBias !== false && bias ? bias : tf.zeros([outChannels]);
    const foldedBias = affine ? tf.add(tf.mul(baseBias, affine.scale), affine.shift) : baseBias;
    return { kernel: scaledKernel as Tensor4D, bias: tf.clone(foldedBias) as Tensor1D };
  });
  if (affine) tf.dispose([affine.scale, affine.shift]);
  owned.push({ dispose: () => tf.dispose([weights.kernel, weights.bias]) });
  const activation = config.activation && config.activation !== 'linear' ? config.activation : undefined;
  const activate = activation ? tf.layers.activation({ activation: activation as 'relu' }) : undefined;
  const pointwise =
    !depthwise &&
    kh === 1 &&
    kw === 1 &&
    config.strides.every((s) => s === 1) &&
    config.dilationRate.every((d) => d === 1);
  let linear: (x: Tensor) => Tensor;
  if (pointwise) {
    const matrix = new ConstantMatrix(tf, weights.kernel.dataSync() as Float32Array, inChannels, outChannels);
    owned.push(matrix);
    linear = (x) => {
      const flat = timesMatrix(tf, tf.reshape(x, [-1, inChannels]) as Tensor2D, matrix);
      return tf.reshape(flat, [...x.shape.slice(0, -1), outChannels]);
    };
  } else if (depthwise) {
    linear = (x) =>
      tf.depthwiseConv2d(
        x as Tensor4D,
        weights.kernel,
        config.strides,
        config.padding,
        'NHWC',
        config.dilationRate,
      );
  } else {
    linear = (x) =>
      tf.conv2d(x as Tensor4D, weights.kernel, config.strides, config.padding, 'NHWC', config.dilationRate);
  }
  return ([x]) => {
    const out = tf.add(linear(x), weights.bias);
    return activate ? (activate.apply(out) as Tensor) : out;
  };
}

/** A batch norm that was not folded: one per-channel multiply and add. */
function batchNorm(tf: Tf, info: LayerInfo, layer: Layer, owned: { dispose(): void }[]): Run | undefined {
  if (info.className !== 'BatchNormalization' || !isChannelsLastNorm(layer)) return undefined;
  const { scale, shift } = batchNormAffine(tf, layer);
  owned.push({ dispose: () => tf.dispose([scale, shift]) });
  return ([x]) => tf.add(tf.mul(x, scale), shift);
}

/** ReLU and ReLU6 activation layers as single kernels (Keras builds ReLU6 from a ReLU and a minimum). */
function relu(tf: Tf, info: LayerInfo, layer: Layer): Run | undefined {
  if (info.className !== 'Activation') return undefined;
  const activation = (layer.getConfig() as { activation?: string }).activation;
  if (activation === 'relu') return ([x]) => tf.relu(x);
  if (activation === 'relu6') return ([x]) => tf.relu6(x);
  return undefined;
}
