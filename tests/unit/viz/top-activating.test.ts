import { beforeAll, describe, expect, it } from 'vitest';
import type { Box } from '@/lib/models/types';
import type { SourceImage } from '@/lib/viz/top-activating';
import { topActivating } from '@/lib/viz/top-activating';
import { TopK } from '@/lib/viz/top-k';
import { failOnTensorLeaks, hasPacks, manifestFor, tf, useBackend, wrap } from './helpers';

// A 1x1 convolution with two channels: channel 0 = x, channel 1 = −x, on 4x4 grey images.
function identityNet() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [4, 4, 1], filters: 2, kernelSize: 1, useBias: false, name: 'conv' }),
    ],
  });
  tf.tidy(() => model.getLayer('conv').setWeights([tf.tensor4d([1, -1], [1, 1, 1, 2])]));
  return wrap(model, manifestFor('identity', { height: 4, width: 4, channels: 1 }));
}

/** Image i is black with one bright pixel of value brightness[i] at position (i mod 16). */
const brightness = [40, 200, 90, 200, 10, 255, 120, 60, 180, 30];
function images(): SourceImage[] {
  return brightness.map((v, i) => {
    const data = new Uint8Array(16);
    data[i % 16] = v;
    return { id: `img${i}`, pixels: { height: 4, width: 4, channels: 1, data } };
  });
}

const unitBox = (y: number, x: number) => ({
  box: [y, x, y + 1, x + 1] as Box,
  clippedBox: [y, x, y + 1, x + 1] as Box,
});

async function* slowly(items: SourceImage[]): AsyncGenerator<SourceImage> {
  for (const item of items) {
    await new Promise((r) => setTimeout(r, 0));
    yield item;
  }
}

describe('top-activating images', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('keeps the k best images per channel, best first, with the position of each maximum', async () => {
    const loaded = identityNet();
    const before = tf.memory().numTensors;
    const progress: number[] = [];
    const result = await topActivating(tf, loaded, images(), {
      receptiveFieldOf: unitBox,
      layer: 'conv',
      k: 4,
      batchSize: 3,
      total: brightness.length,
      onProgress: (p) => progress.push(p.done),
    });
    expect(tf.memory().numTensors).toBe(before);
    expect(progress).toEqual([3, 6, 9, 10]);
    expect(result.imagesSeen).toBe(10);
    expect([result.height, result.width]).toEqual([4, 4]);
    const [bright, dark] = result.channels;
    // 200 twice: the earlier image (1) ranks first.
    expect(bright.top.map((t) => [t.imageId, t.value])).toEqual([
      ['img5', 255],
      ['img1', 200],
      ['img3', 200],
      ['img8', 180],
    ]);
    expect(bright.top.map((t) => [t.y, t.x])).toEqual([
      [1, 1],
      [0, 1],
      [0, 3],
      [2, 0],
    ]);
    expect(bright.top[0].box).toEqual([1, 1, 2, 2]);
    // −x peaks at 0 everywhere but the bright pixel: the first zero, which is (0,1) for image 0.
    expect(dark.top.map((t) => [t.imageId, t.value, t.y, t.x])).toEqual([
      ['img0', 0, 0, 1],
      ['img1', 0, 0, 0],
      ['img2', 0, 0, 0],
      ['img3', 0, 0, 0],
    ]);
    loaded.dispose();
  });

  it('gives the same answer for any batch size, a subset of channels and an async source', async () => {
    const loaded = identityNet();
    const all = await topActivating(tf, loaded, images(), {
      receptiveFieldOf: unitBox,
      layer: 'conv',
      k: 3,
      batchSize: 1,
    });
    const sub = await topActivating(tf, loaded, slowly(images()), {
      receptiveFieldOf: unitBox,
      layer: 'conv',
      k: 3,
      batchSize: 4,
      channels: [1, 0],
    });
    expect(sub.channels.map((c) => c.channel)).toEqual([1, 0]);
    expect(sub.channels[1].top).toEqual(all.channels[0].top);
    expect(sub.channels[0].top).toEqual(all.channels[1].top);
    await expect(
      topActivating(tf, loaded, images(), { receptiveFieldOf: unitBox, layer: 'conv', k: 3, channels: [2] }),
    ).rejects.toThrow(RangeError);
    loaded.dispose();
  });

  it('stops when aborted mid-run', async () => {
    const loaded = identityNet();
    const controller = new AbortController();
    const run = topActivating(tf, loaded, slowly(images()), {
      receptiveFieldOf: unitBox,
      layer: 'conv',
      k: 2,
      batchSize: 2,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.done >= 4) controller.abort(new Error('stop'));
      },
    });
    await expect(run).rejects.toThrow('stop');
    loaded.dispose();
  });

  it('ranks with a bounded heap', () => {
    const heap = new TopK<{ value: number; order: number }>(3);
    [5, 1, 9, 7, 9, 3, Number.NaN, 8].forEach((value, order) => {
      heap.push({ value, order });
    });
    expect(heap.sorted().map((e) => [e.value, e.order])).toEqual([
      [9, 2],
      [9, 4],
      [8, 7],
    ]);
    expect(heap.admits(8)).toBe(false);
    expect(heap.admits(8.5)).toBe(true);
    expect(() => new TopK(0)).toThrow(RangeError);
  });

  it.skipIf(!hasPacks)('agrees with the feature maps and receptive fields on a pack model', async () => {
    const { loadPackModel, testImage } = await import('./packs');
    const { decodeForModel } = await import('@/server/images/decode');
    const { featureMaps } = await import('@/lib/viz/activations');
    const { neuronReceptiveField } = await import('@/lib/viz/receptive-field');
    await useBackend('wasm');
    const loaded = await loadPackModel('mobilenet-v1-0.25');
    const files = [
      'dog_pomeranian.JPEG',
      'cat_tabby.JPEG',
      'ml5_bird.jpg',
      'tfjs-models_mobilenet_coffee.jpg',
    ];
    const images = await Promise.all(
      files.map(async (f) => ({ id: f, pixels: await decodeForModel(testImage(f), loaded.manifest) })),
    );
    const before = tf.memory().numTensors;
    const layer = 'conv_pw_3_relu';
    const result = await topActivating(tf, loaded, images, {
      layer,
      channels: [0, 7, 31],
      k: 2,
      batchSize: 3,
    });
    expect(tf.memory().numTensors).toBe(before);
    expect([result.height, result.width, result.imagesSeen]).toEqual([56, 56, 4]);
    for (const { channel, top } of result.channels) {
      expect(top).toHaveLength(2);
      expect(top[0].value).toBeGreaterThanOrEqual(top[1].value);
      for (const entry of top) {
        const maps = await featureMaps(tf, loaded, images.find((i) => i.id === entry.imageId)!.pixels, layer);
        let best = Number.NEGATIVE_INFINITY;
        for (let p = 0; p < maps.height * maps.width; p++)
          best = Math.max(best, maps.data[p * maps.channels + channel]);
        expect(entry.value).toBeCloseTo(best, 4);
        expect(maps.data[(entry.y * maps.width + entry.x) * maps.channels + channel]).toBeCloseTo(best, 4);
        const field = neuronReceptiveField(loaded.layers, { layer, y: entry.y, x: entry.x });
        expect(entry.box).toEqual(field.box);
        expect(entry.clippedBox).toEqual(field.clipped);
      }
    }
    loaded.dispose();
    await useBackend('cpu');
  });
});
