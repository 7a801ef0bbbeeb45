// From the model's input batch to what is maximised: a channel's mean, one neuron, or a class logit, and
// the features whose Gram matrices measure how alike the images of a batch are.
import type { Tensor1D, Tensor2D, Tensor3D } from '@tensorflow/tfjs';
import type { LayerInfo, LoadedModel } from '@/lib/models/types';
import type { Tensor, Tensor4D, Tf } from '@/lib/tf';
import type { FeatureVisObjective } from './options';

export interface ObjectiveHead {
  /** The layer whose output is read: the objective's layer, or the logits' for a class. */
  layer: string;
  /** The layer whose output `evaluate` takes (the pre-activation's input, or `layer` itself). */
  input: string;
  /**
   * From `input`'s output for a batch, per image: the objective [N]; what the gradient climbs [N] (the
   * objective, plus a small share of the channel's pre-activation where there is one); the features whose
   * Gram matrices measure how alike the images are [N, positions, channels].
   */
  evaluate(output: Tensor): { values: Tensor1D; ascent: Tensor1D; features: Tensor3D };
}

/**
 * Weight of the pre-activation in what the gradient climbs. A ReLU channel that is silent on the starting
 * noise has no gradient; this small linear term gives it one (Lucid's "redirected ReLU" does the same job)
 * and is negligible once the channel fires. Adam scales steps per coefficient, so a small weight suffices.
 */
export const PRE_ACTIVATION_WEIGHT = 1e-3;

/** Layers that pass values through unchanged at inference. */
const TRANSPARENT = new Set([
  'Reshape',
  'Flatten',
  'Dropout',
  'SpatialDropout2D',
  'GaussianDropout',
  'GaussianNoise',
]);
/** Layers that apply an elementwise activation to their single input. */
const ACTIVATIONS = new Set(['Activation', 'ReLU', 'LeakyReLU', 'ELU', 'ThresholdedReLU', 'PReLU']);
/** Layers whose config may fuse an activation after a linear part this file can compute. */
const FUSED = new Set(['Conv2D', 'DepthwiseConv2D', 'Dense']);

/** One channel of a layer, computed from another layer's output (its pre-activation's input). */
interface ChannelSource {
  /** The layer whose output is fed in. */
  input: string;
  /** The channel in the computed tensor (a concatenation's channel maps to one of its inputs). */
  channel: number;
  /** From `input`'s output: the pre-activation (where there is one) and the activation. */
  compute(tf: Tf, x: Tensor): { pre?: Tensor; output: Tensor };
}

export function objectiveHead(tf: Tf, loaded: LoadedModel, objective: FeatureVisObjective): ObjectiveHead {
  if (objective.kind === 'class') return classHead(tf, loaded, objective.classIndex);
  const info = loaded.layers.find((l) => l.name === objective.layer);
  if (!info || info.kind === 'input') {
    throw new RangeError(`unknown layer "${objective.layer}" in model ${loaded.manifest.id}`);
  }
  const [height, width, channels] = gridOf(info);
  if (!Number.isInteger(objective.channel) || objective.channel < 0 || objective.channel >= channels) {
    throw new RangeError(`channel ${objective.channel} is outside ${info.name}'s ${channels} channels`);
  }
  if (objective.kind === 'neuron') {
    const { y, x } = objective;
    if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || x < 0 || y >= height || x >= width) {
      throw new RangeError(`neuron (${y}, ${x}) is outside ${info.name}'s ${height}×${width} grid`);
    }
  }
  const source = channelSource(tf, loaded, info.name, objective.channel);
  const position = objective.kind === 'neuron' ? objective.y * width + objective.x : 0;
  const size = objective.kind === 'neuron' ? 1 : height * width;
  const read = (t: Tensor, n: number): Tensor1D => {
    const flat = tf.reshape(t, [n, height * width, -1]);
    return tf.reshape(tf.mean(tf.slice(flat, [0, position, source.channel], [n, size, 1]), [1, 2]), [
      n,
    ]) as Tensor1D;
  };
  return {
    layer: info.name,
    input: source.input,
    evaluate(x) {
      const n = x.shape[0];
      const { pre, output } = source.compute(tf, x);
      const values = read(output, n);
      const ascent = pre ? (tf.add(values, tf.mul(read(pre, n), PRE_ACTIVATION_WEIGHT)) as Tensor1D) : values;
      const features = tf.reshape(output, [n, height * width, -1]) as Tensor3D;
      return { values, ascent, features };
    },
  };
}

/**
 * Where one channel of a layer comes from: through a concatenation to the input that holds it, and from
 * an activation (a layer of its own, or fused into a convolution or dense layer) to its pre-activation.
 */
function channelSource(tf: Tf, loaded: LoadedModel, layerName: string, channel: number): ChannelSource {
  const info = loaded.layers.find((l) => l.name === layerName)!;
  const layer = loaded.model.getLayer(layerName);
  const config = layer.getConfig() as { activation?: string; axis?: number };
  const direct: ChannelSource = { input: layerName, channel, compute: (_, x) => ({ output: x }) };
  if (
    info.className === 'Concatenate' &&
    info.outputShape.length === 3 &&
    (config.axis === -1 || config.axis === 3)
  ) {
    let offset = 0;
    for (const inbound of info.inbound) {
      const count = loaded.layers.find((l) => l.name === inbound)!.outputShape[2];
      if (channel < offset + count) return channelSource(tf, loaded, inbound, channel - offset);
      offset += count;
    }
    return direct;
  }
  if (info.inbound.length !== 1) return direct;
  if (ACTIVATIONS.has(info.className) && config.activation !== 'softmax') {
    return {
      input: info.inbound[0],
      channel,
      compute: (_, x) => ({ pre: x, output: layer.apply(x) as Tensor }),
    };
  }
  const activation = config.activation;
  if (FUSED.has(info.className) && activation && activation !== 'linear' && activation !== 'softmax') {
    const activate = tf.layers.activation({ activation: activation as 'relu' });
    return {
      input: info.inbound[0],
      channel,
      compute: (tfjs, x) => {
        const pre = linearPart(tfjs, layer, x);
        return { pre, output: activate.apply(pre) as Tensor };
      },
    };
  }
  return direct;
}

/** A convolution or dense layer without its activation, with the layer's own weights. */
function linearPart(tf: Tf, layer: ReturnType<LoadedModel['model']['getLayer']>, x: Tensor): Tensor {
  const config = layer.getConfig() as {
    strides?: [number, number];
    padding?: 'same' | 'valid';
    dilationRate?: [number, number];
    useBias?: boolean;
  };
  const [kernel, bias] = layer.getWeights();
  let out: Tensor;
  switch (layer.getClassName()) {
    case 'Conv2D':
      out = tf.conv2d(
        x as Tensor4D,
        kernel as Tensor4D,
        config.strides!,
        config.padding!,
        'NHWC',
        config.dilationRate,
      );
      break;
    case 'DepthwiseConv2D':
      out = tf.depthwiseConv2d(
        x as Tensor4D,
        kernel as Tensor4D,
        config.strides!,
        config.padding!,
        'NHWC',
        config.dilationRate,
      );
      break;
    default: {
      const units = kernel.shape[1]!;
      const flat = tf.matMul(tf.reshape(x, [-1, kernel.shape[0]!]) as Tensor2D, kernel as Tensor2D);
      out = tf.reshape(flat, [...x.shape.slice(0, -1), units]);
    }
  }
  return config.useBias === false || !bias ? out : tf.add(out, bias);
}

/** [height, width, channels] of a layer's output; flat layers read as 1×1×units. */
function gridOf(info: LayerInfo): [number, number, number] {
  const shape = info.outputShape;
  if (shape.length === 3) return [shape[0], shape[1], shape[2]];
  const channels = shape[shape.length - 1];
  return [1, shape.slice(0, -1).reduce((a, b) => a * b, 1), channels];
}

/**
 * The logit of a class: the input of the final softmax (an Activation layer, or a Dense layer's
 * pre-activation), following layers that only reshape. A 'logits' model's output is its logits.
 */
function classHead(tf: Tf, loaded: LoadedModel, classIndex: number): ObjectiveHead {
  const classes = loaded.manifest.labels.length;
  if (!Number.isInteger(classIndex) || classIndex < 0 || classIndex >= classes) {
    throw new RangeError(`class ${classIndex} is outside the model's ${classes} classes`);
  }
  const byName = new Map(loaded.layers.map((l) => [l.name, l]));
  let info = loaded.layers[loaded.layers.length - 1];
  while (TRANSPARENT.has(info.className) && info.inbound.length === 1) info = byName.get(info.inbound[0])!;
  const layer = loaded.model.getLayer(info.name);
  const activation = (layer.getConfig() as { activation?: string }).activation;
  const softmax = loaded.manifest.output === 'softmax' && activation === 'softmax';
  if (loaded.manifest.output === 'softmax' && !softmax) {
    throw new RangeError(
      `cannot find the logits of ${loaded.manifest.id}: its last layer is ${info.className}`,
    );
  }
  // The features that feed the logits, and how the logits follow from them.
  let featureLayer = info.name;
  let logitsOf = (features: Tensor): Tensor => features;
  if (softmax && info.className === 'Dense') {
    const [kernel, bias] = layer.getWeights();
    featureLayer = info.inbound[0];
    logitsOf = (features) => {
      const flat = tf.reshape(features, [features.shape[0], -1]) as Tensor2D;
      const product = tf.matMul(flat, kernel as Tensor2D);
      return bias ? tf.add(product, bias) : product;
    };
  } else if (softmax) {
    featureLayer = info.inbound[0];
  }
  const featureInfo = byName.get(featureLayer)!;
  return {
    layer: featureLayer,
    input: featureLayer,
    evaluate(output) {
      const n = output.shape[0];
      const logits = tf.reshape(logitsOf(output), [n, classes]);
      const [height, width, channels] = gridOf(featureInfo);
      const values = tf.reshape(tf.slice(logits, [0, classIndex], [n, 1]), [n]) as Tensor1D;
      return {
        values,
        ascent: values,
        features: tf.reshape(output, [n, height * width, channels]) as Tensor3D,
      };
    },
  };
}

/**
 * How alike the images of a batch are: the mean cosine similarity between the Gram matrices (channel
 * co-activations) of every pair of images. 0 for one image.
 */
export function gramSimilarity(tf: Tf, features: Tensor3D): Tensor {
  const [n, positions] = features.shape;
  if (n < 2) return tf.scalar(0);
  const gram = tf.div(tf.matMul(features, features, true, false), positions);
  const flat = tf.reshape(gram, [n, -1]);
  const unit = tf.div(flat, tf.maximum(tf.norm(flat, 'euclidean', 1, true), 1e-8));
  const cosine = tf.matMul(unit, unit, false, true);
  return tf.div(tf.sub(tf.sum(cosine), tf.sum(tf.mul(cosine, tf.eye(n)))), n * (n - 1));
}
