import { beforeAll, describe, expect, it } from 'vitest';
import { pixelsToInputTensor } from '@/lib/models/preprocess';
import { pixelBatchToInput } from '@/lib/viz/input';
import { manifestFor, tf, useBackend } from './helpers';

describe('batched input scaling', () => {
  beforeAll(() => useBackend('cpu'));
  it('is bit-identical to the single-image preprocessing of lib/models', () => {
    const manifest = manifestFor('m', { height: 3, width: 4, channels: 3 });
    manifest.preprocessing = {
      ...manifest.preprocessing,
      mean: [123, 117, 104],
      scale: 1 / 127.5,
      offset: -0.25,
    };
    const images = [0, 1].map((k) => Uint8Array.from({ length: 36 }, (_, i) => (i * 71 + k * 13) % 256));
    const before = tf.memory().numTensors;
    const batch = pixelBatchToInput(tf, manifest, Float32Array.from([...images[0], ...images[1]]), 2);
    const batchData = batch.dataSync();
    images.forEach((data, k) => {
      const single = pixelsToInputTensor(tf, { height: 3, width: 4, channels: 3, data }, manifest);
      expect(Array.from(batchData.slice(k * 36, (k + 1) * 36))).toEqual(Array.from(single.dataSync()));
      single.dispose();
    });
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
