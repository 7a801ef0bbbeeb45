import { beforeAll, describe, expect, it } from 'vitest';
import { featureMaps, layerOutputModel, spatialShape } from '@/lib/viz/activations';
import type { PixelImage } from '@/lib/viz/image';
import { failOnTensorLeaks, hasPacks, manifestFor, tf, useBackend, wrap } from './helpers';

const H = 6;
const W = 7;
const kernelValues = Float32Array.from({ length: 3 * 3 * 3 * 3 }, (_, i) => ((i * 7) % 11) / 10 - 0.5);
const bias = [0.1, -0.2, 0.3];

function convNet() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({
        inputShape: [H, W, 3],
        filters: 3,
        kernelSize: 3,
        strides: 1,
        padding: 'valid',
        name: 'conv',
      }),
      tf.layers.maxPooling2d({ poolSize: 2, name: 'pool' }),
      tf.layers.flatten({ name: 'flat' }),
      tf.layers.dense({ units: 4, name: 'fc' }),
    ],
  });
  tf.tidy(() =>
    model.getLayer('conv').setWeights([tf.tensor4d(kernelValues, [3, 3, 3, 3]), tf.tensor1d(bias)]),
  );
  const manifest = manifestFor('conv', { height: H, width: W, channels: 3 });
  manifest.preprocessing.mean = [10, 20, 30];
  manifest.preprocessing.scale = 0.5;
  return wrap(model, manifest);
}

const image: PixelImage = {
  height: H,
  width: W,
  channels: 3,
  data: Uint8Array.from({ length: H * W * 3 }, (_, i) => (i * 53) % 256),
};

/** The conv layer's output computed by hand from the preprocessed pixels. */
function manualConv(channel: number, y: number, x: number): number {
  let acc = bias[channel];
  for (let ky = 0; ky < 3; ky++)
    for (let kx = 0; kx < 3; kx++)
      for (let c = 0; c < 3; c++) {
        const pixel = image.data[((y + ky) * W + (x + kx)) * 3 + c];
        const input = (pixel - [10, 20, 30][c]) * 0.5;
        acc += input * kernelValues[((ky * 3 + kx) * 3 + c) * 3 + channel];
      }
  return acc;
}

describe('activations', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('equals a hand-computed convolution', async () => {
    const loaded = convNet();
    const before = tf.memory().numTensors;
    const maps = await featureMaps(tf, loaded, image, 'conv');
    expect([maps.height, maps.width, maps.channels]).toEqual([4, 5, 3]);
    for (let ch = 0; ch < 3; ch++)
      for (let y = 0; y < 4; y++)
        for (let x = 0; x < 5; x++)
          expect(maps.data[(y * 5 + x) * 3 + ch]).toBeCloseTo(manualConv(ch, y, x), 3);
    expect(tf.memory().numTensors).toBe(before);
    loaded.dispose();
  });

  it('pools, and reads a dense layer as 1x1xC', async () => {
    const loaded = convNet();
    const conv = await featureMaps(tf, loaded, image, 'conv');
    const pool = await featureMaps(tf, loaded, image, 'pool');
    expect([pool.height, pool.width, pool.channels]).toEqual([2, 2, 3]);
    const at = (y: number, x: number, c: number) => conv.data[(y * 5 + x) * 3 + c];
    expect(pool.data[(1 * 2 + 1) * 3 + 2]).toBeCloseTo(
      Math.max(at(2, 2, 2), at(2, 3, 2), at(3, 2, 2), at(3, 3, 2)),
      5,
    );
    const fc = await featureMaps(tf, loaded, image, 'fc');
    expect([fc.height, fc.width, fc.channels]).toEqual([1, 1, 4]);
    loaded.dispose();
  });

  it('accepts an input tensor and caches one sub-model per layer', async () => {
    const loaded = convNet();
    expect(layerOutputModel(tf, loaded, 'pool')).toBe(layerOutputModel(tf, loaded, 'pool'));
    expect(layerOutputModel(tf, loaded, 'fc')).toBe(loaded.model);
    const input = tf.tidy(() =>
      tf.mul(
        tf.sub(tf.tensor4d(Float32Array.from(image.data), [1, H, W, 3]), tf.tensor1d([10, 20, 30])),
        0.5,
      ),
    ) as import('@tensorflow/tfjs').Tensor4D;
    const fromTensor = await featureMaps(tf, loaded, input, 'conv');
    const fromPixels = await featureMaps(tf, loaded, image, 'conv');
    expect(Array.from(fromTensor.data)).toEqual(Array.from(fromPixels.data));
    expect(input.isDisposed).toBe(false);
    input.dispose();
    loaded.dispose();
  });

  it('maps output shapes to height, width, channels', () => {
    expect(spatialShape([null, 4, 5, 3])).toEqual([4, 5, 3]);
    expect(spatialShape([null, 10])).toEqual([1, 1, 10]);
  });

  it.skipIf(!hasPacks)('reads MobileNet feature maps from a pack model', async () => {
    await useBackend('wasm');
    const { loadPackModel } = await import('./packs');
    const loaded = await loadPackModel('mobilenet-v1-0.25');
    const before = tf.memory().numTensors;
    const grey: PixelImage = {
      height: 224,
      width: 224,
      channels: 3,
      data: new Uint8Array(224 * 224 * 3).fill(128),
    };
    const maps = await featureMaps(tf, loaded, grey, 'conv_pw_1_relu');
    expect([maps.height, maps.width, maps.channels]).toEqual([112, 112, 16]);
    // relu6 output.
    expect(maps.data.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(0);
    expect(maps.data.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(6);
    expect(tf.memory().numTensors).toBe(before);
    loaded.dispose();
    await useBackend('cpu');
  });
});
