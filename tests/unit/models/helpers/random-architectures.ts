// Small random CNNs (seeded) mixing every geometry the receptive-field arithmetic handles: stride, dilation,
// 'same'/'valid', non-square kernels, max/avg pooling, depthwise and separable convolutions, zero-padding,
// cropping, concatenate and add of branches with different fields, and a global or dense head.
import type * as tfType from '@tensorflow/tfjs';
import { seededRandom } from '../../../helpers/random';

type Tf = typeof tfType;
type Symbolic = tfType.SymbolicTensor;

export interface RandomArchitecture {
  model: tfType.LayersModel;
  /** Layer kinds used, for the test's coverage check. */
  blocks: string[];
}

/**
 * With `explicitPadding: false` there are no ZeroPadding2D/Cropping2D layers (branches pair two 'same'
 * convolutions instead), so every geometric box edge inside the image is reachable.
 */
export function randomArchitecture(tf: Tf, seed: number, explicitPadding = true): RandomArchitecture {
  const random = seededRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const input = tf.input({ shape: [int(24, 44), int(24, 44), int(1, 3)] });
  let current: Symbolic = input;
  const blocks: string[] = [];
  const size = (t: Symbolic) => [t.shape[1] as number, t.shape[2] as number];
  const kernel = (): [number, number] => (random() < 0.7 ? [int(1, 4), int(1, 4)] : [int(1, 5), int(1, 5)]);

  const builders: Record<string, () => Symbolic | undefined> = {
    conv: () => {
      const dilated = random() < 0.3;
      return tf.layers
        .conv2d({
          filters: int(2, 4),
          kernelSize: kernel(),
          strides: dilated ? 1 : [int(1, 3), int(1, 3)],
          dilationRate: dilated ? [int(1, 3), int(2, 3)] : 1,
          padding: pick(['same', 'valid'] as const),
        })
        .apply(current) as Symbolic;
    },
    depthwise: () => {
      // A dilation rate here is ignored by tf.js (it runs undilated): the graph must say so too.
      const dilated = random() < 0.3;
      return tf.layers
        .depthwiseConv2d({
          kernelSize: kernel()[0],
          depthMultiplier: int(1, 2),
          strides: dilated ? 1 : int(1, 2),
          dilationRate: dilated ? int(2, 3) : 1,
          padding: pick(['same', 'valid'] as const),
        })
        .apply(current) as Symbolic;
    },
    separable: () => {
      const strides = int(1, 2);
      return tf.layers
        .separableConv2d({
          filters: int(2, 3),
          kernelSize: int(2, 4),
          strides,
          dilationRate: strides === 1 ? int(1, 2) : 1,
          padding: pick(['same', 'valid'] as const),
        })
        .apply(current) as Symbolic;
    },
    pool: () => {
      const options = { poolSize: int(2, 3), strides: int(1, 3), padding: pick(['same', 'valid'] as const) };
      const layer = random() < 0.5 ? tf.layers.maxPooling2d(options) : tf.layers.averagePooling2d(options);
      return layer.apply(current) as Symbolic;
    },
    'zero-padding': () =>
      tf.layers
        .zeroPadding2d({
          padding: [
            [int(0, 2), int(0, 2)],
            [int(0, 2), int(0, 2)],
          ],
        })
        .apply(current) as Symbolic,
    cropping: () =>
      tf.layers
        .cropping2D({
          cropping: [
            [int(0, 2), int(0, 1)],
            [int(0, 1), int(0, 2)],
          ],
        })
        .apply(current) as Symbolic,
    concatenate: () => {
      const [a, b] = twoBranches();
      return tf.layers.concatenate().apply([a, b]) as Symbolic;
    },
    add: () => {
      const [a, b] = twoBranches();
      return tf.layers.add().apply([a, b]) as Symbolic;
    },
    activations: () => {
      const normalised = tf.layers.batchNormalization().apply(current) as Symbolic;
      const activated = tf.layers.reLU().apply(normalised) as Symbolic;
      return tf.layers.dropout({ rate: 0.5 }).apply(activated) as Symbolic;
    },
  };

  // Two branches on the same grid with different fields: a 'same' conv (maybe dilated), and an asymmetric
  // zero-padding followed by a 'valid' 3×3 conv, which lands on the same output size for any stride.
  function twoBranches(): [Symbolic, Symbolic] {
    const stride = int(1, 2);
    const filters = 3;
    const dilation = stride === 1 ? int(1, 2) : 1;
    const a = tf.layers
      .conv2d({
        filters,
        kernelSize: pick([1, 3, 5]),
        strides: stride,
        dilationRate: dilation,
        padding: 'same',
      })
      .apply(current) as Symbolic;
    if (!explicitPadding) {
      const b = tf.layers
        .conv2d({ filters, kernelSize: [int(1, 4), int(1, 4)], strides: stride, padding: 'same' })
        .apply(current) as Symbolic;
      return [a, b];
    }
    const top = int(0, 2);
    const left = int(0, 2);
    const padded = tf.layers
      .zeroPadding2d({
        padding: [
          [top, 2 - top],
          [left, 2 - left],
        ],
      })
      .apply(current) as Symbolic;
    const b = tf.layers
      .conv2d({ filters, kernelSize: 3, strides: stride, padding: 'valid' })
      .apply(padded) as Symbolic;
    return [a, b];
  }

  const names = Object.keys(builders).filter(
    (name) => explicitPadding || (name !== 'zero-padding' && name !== 'cropping'),
  );
  const blockCount = int(3, 7);
  for (let attempt = 0; blocks.length < blockCount && attempt < 40; attempt++) {
    const name = pick(names);
    let next: Symbolic | undefined;
    try {
      next = builders[name]();
    } catch {
      continue; // the block does not fit the current size
    }
    if (!next) continue;
    const [h, w] = size(next);
    if (!(h >= 2 && w >= 2)) continue;
    current = next;
    blocks.push(name);
  }
  const head = random() < 0.5 ? 'global-pool' : 'dense';
  const pooled =
    head === 'global-pool'
      ? (tf.layers.globalAveragePooling2d({}).apply(current) as Symbolic)
      : (tf.layers.flatten().apply(current) as Symbolic);
  const output = tf.layers.dense({ units: 3 }).apply(pooled) as Symbolic;
  blocks.push(head);
  return { model: tf.model({ inputs: input, outputs: output }), blocks };
}
