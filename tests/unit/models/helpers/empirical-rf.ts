// The empirical receptive field: the input pixels with a non-zero gradient of one neuron. Measured on a
// "linearised" copy of the model (same geometry, linear activations, average instead of max pooling,
// positive weights), so no ReLU or max-pool zeroes a gradient that the geometry says exists.
import type * as tfType from '@tensorflow/tfjs';
import type { Box } from '@/lib/models/types';
import { seededRandom } from '../../../helpers/random';

type Tf = typeof tfType;
type LayersModel = tfType.LayersModel;

interface LayerJson {
  class_name: string;
  name?: string;
  config: Record<string, unknown>;
  inbound_nodes?: unknown;
}

const NONLINEAR_ACTIVATION_LAYERS = ['ReLU', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax'];

/**
 * A copy of the model whose gradients reach every pixel the geometry allows. Dilated convolutions become
 * undilated ones with the larger kernel and zeros in the holes (tf.js has no gradient for dilation).
 */
export async function linearisedClone(
  tf: Tf,
  model: LayersModel,
  seed: number,
  options: { channels?: number } = {},
): Promise<LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } | LayerJson[] };
  const layers = Array.isArray(topology.config) ? topology.config : topology.config.layers;
  const dilations = new Map<string, [number, number]>();
  for (const layer of layers) {
    linearise(layer, dilations);
    if (options.channels) narrow(layer, options.channels);
  }
  const clone = await tf.models.modelFromJSON({
    modelTopology: topology as unknown as tfType.io.ModelJSON['modelTopology'],
  });
  const random = seededRandom(seed);
  for (const layer of clone.layers) {
    const dilation = dilations.get(layer.name) ?? [1, 1];
    const values = layer.weights.map((weight) =>
      positiveWeight(tf, weight.originalName, weight.shape as number[], dilation, random),
    );
    if (values.length > 0) layer.setWeights(values);
    tf.dispose(values);
  }
  return clone;
}

function linearise(layer: LayerJson, dilations: Map<string, [number, number]>): void {
  const config = layer.config;
  if ('activation' in config) config.activation = 'linear';
  if (NONLINEAR_ACTIVATION_LAYERS.includes(layer.class_name)) {
    layer.class_name = 'Activation';
    layer.config = {
      name: config.name,
      trainable: true,
      dtype: config.dtype ?? 'float32',
      activation: 'linear',
    };
  }
  if (layer.class_name === 'MaxPooling2D') layer.class_name = 'AveragePooling2D';
  if (layer.class_name === 'GlobalMaxPooling2D') layer.class_name = 'GlobalAveragePooling2D';
  // tf.js runs DepthwiseConv2D undilated whatever its config says; keep the copy equal to what runs.
  if (layer.class_name === 'DepthwiseConv2D') config.dilation_rate = [1, 1];
  const dilation = config.dilation_rate as number | [number, number] | undefined;
  if (dilation !== undefined) {
    const [dy, dx] = typeof dilation === 'number' ? [dilation, dilation] : dilation;
    if (dy > 1 || dx > 1) {
      const kernel = config.kernel_size as number | [number, number];
      const [ky, kx] = typeof kernel === 'number' ? [kernel, kernel] : kernel;
      config.kernel_size = [(ky - 1) * dy + 1, (kx - 1) * dx + 1];
      config.dilation_rate = [1, 1];
      dilations.set(String(config.name), [dy, dx]);
    }
  }
}

/**
 * Fewer channels make the gradient far cheaper and leave every window, stride and padding as it was: which
 * pixels a position sees does not depend on how many channels it has.
 */
function narrow(layer: LayerJson, channels: number): void {
  const config = layer.config;
  if (typeof config.filters === 'number') config.filters = Math.min(config.filters, channels);
  if (typeof config.depth_multiplier === 'number') config.depth_multiplier = 1;
  if (layer.class_name === 'Dense' && typeof config.units === 'number')
    config.units = Math.min(config.units, channels);
  const target = config.target_shape as number[] | undefined;
  // Reshapes here only add or drop 1×1 spatial axes around the channels (MobileNet's head).
  if (layer.class_name === 'Reshape' && target) {
    config.target_shape = [...target.slice(0, -1), Math.min(target[target.length - 1], channels)];
  }
}

/**
 * Positive weights scaled by 1/fan-in over channels (not space), so the gradient neither overflows in the
 * middle of a field nor underflows at its corners; batch-norm becomes the identity, biases zero.
 */
function positiveWeight(
  tf: Tf,
  name: string,
  shape: number[],
  dilation: [number, number],
  random: () => number,
): tfType.Tensor {
  if (shape.length === 1) {
    const one = /gamma|moving_variance/.test(name);
    return tf.fill(shape, one ? 1 : 0);
  }
  const size = shape.reduce((a, b) => a * b, 1);
  const values = new Float32Array(size);
  const depthwise = /depthwise_kernel/.test(name);
  const channelFanIn = shape.length === 4 ? (depthwise ? 1 : shape[2]) : shape[0];
  for (let i = 0; i < size; i++) values[i] = (0.5 + random()) / channelFanIn;
  if (shape.length === 4 && (dilation[0] > 1 || dilation[1] > 1)) {
    const [kh, kw, cin, cout] = shape;
    for (let y = 0; y < kh; y++) {
      for (let x = 0; x < kw; x++) {
        if (y % dilation[0] === 0 && x % dilation[1] === 0) continue;
        for (let c = 0; c < cin * cout; c++) values[(y * kw + x) * cin * cout + c] = 0;
      }
    }
  }
  return tf.tensor(values, shape);
}

/** Bounding boxes (half-open, input pixels) of the non-zero input gradient at each position (y, x) of a layer. */
export function empiricalBoxes(
  tf: Tf,
  model: LayersModel,
  layerName: string,
  neurons: [number, number][],
): Box[] {
  const output = model.getLayer(layerName).output as tfType.SymbolicTensor;
  const sub = tf.model({ inputs: model.inputs, outputs: output });
  const [, height, width, channels] = model.inputs[0].shape as number[];
  const gradients = tf.tidy(() => {
    const input = tf.ones([neurons.length, height, width, channels]);
    const outShape = output.shape.slice(1) as number[];
    const mask = tf.buffer([neurons.length, ...outShape]);
    // A neuron here is a spatial position with all its channels: after a concatenate, each channel sees
    // only its own branch, and the layer's field is their union. A flat layer counts as one position.
    const units = outShape.length === 3 ? outShape[2] : outShape.reduce((a, b) => a * b, 1);
    neurons.forEach(([y, x], i) => {
      const flat = mask.values;
      const offset = outShape.length === 3 ? ((i * outShape[0] + y) * outShape[1] + x) * units : i * units;
      flat.fill(1, offset, offset + units);
    });
    const maskTensor = mask.toTensor();
    const gradient = tf.grad((x: tfType.Tensor) => tf.sum(tf.mul(sub.apply(x) as tfType.Tensor, maskTensor)))(
      input,
    );
    return tf.sum(tf.abs(gradient), 3);
  });
  const values = gradients.dataSync();
  gradients.dispose();
  return neurons.map((_, i) => boundingBox(values, i * height * width, height, width));
}

function boundingBox(values: ArrayLike<number>, offset: number, height: number, width: number): Box {
  let [y0, x0, y1, x1] = [height, width, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[offset + y * width + x] === 0) continue;
      y0 = Math.min(y0, y);
      x0 = Math.min(x0, x);
      y1 = Math.max(y1, y + 1);
      x1 = Math.max(x1, x + 1);
    }
  }
  return [y0, x0, y1, x1];
}

/**
 * The empirical box must lie inside the clipped arithmetic box, and match it exactly on every side where
 * the arithmetic box ends inside the image (on clipped sides padding may hide the outermost pixels).
 */
export function boxMismatch(empirical: Box, box: Box, height: number, width: number): string | undefined {
  const [ey0, ex0, ey1, ex1] = empirical;
  const [y0, x0, y1, x1] = box;
  const problems: string[] = [];
  if (
    ey0 < Math.max(y0, 0) ||
    ex0 < Math.max(x0, 0) ||
    ey1 > Math.min(y1, height) ||
    ex1 > Math.min(x1, width)
  ) {
    problems.push('outside');
  }
  if (y0 >= 0 && ey0 !== y0) problems.push('top');
  if (x0 >= 0 && ex0 !== x0) problems.push('left');
  if (y1 <= height && ey1 !== y1) problems.push('bottom');
  if (x1 <= width && ex1 !== x1) problems.push('right');
  return problems.length > 0
    ? `${problems.join(',')}: empirical [${empirical}] vs arithmetic [${box}]`
    : undefined;
}
