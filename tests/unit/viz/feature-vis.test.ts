// Feature visualisation: the optimised image must beat the best real image of a set on its own channel, be
// the same for the same seed and settings, and leak no tensor. Kept short (few steps) for CI; the full
// measurements over the packs are in docs/viz.md (bench/feature-vis-ratios.ts).
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '@/lib/models/types';
import { layerOutputModel } from '@/lib/viz/activations';
import { type FeatureVisResult, featureVisualization } from '@/lib/viz/feature-vis';
import { FourierBasis } from '@/lib/viz/feature-vis/fourier';
import { bestImagesPerChannel, channelMeans, selectivity } from '@/lib/viz/feature-vis/measure';
import { gramSimilarity, objectiveHead } from '@/lib/viz/feature-vis/objective';
import { isPreviewStep } from '@/lib/viz/feature-vis/optimize';
import { type Affine, IDENTITY, warp } from '@/lib/viz/feature-vis/transforms';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';
import { failOnTensorLeaks, hasPacks, packs, tf, useBackend } from './helpers';
import { loadPackModel } from './packs';

const root = path.resolve(import.meta.dirname, '../../..');
const digits = imageFilesIn(path.join(root, 'public/images/mnist'));

function sameBytes(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

describe('feature visualisation: parts', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('wasm'));

  it('the Fourier basis is the inverse real FFT of the 1/f-scaled coefficients', () => {
    const [h, w] = [5, 6];
    const k = w / 2 + 1;
    const coefficients = Float32Array.from({ length: h * 2 * k }, (_, i) => Math.sin(i * 1.7) * 0.3);
    const basis = new FourierBasis(tf, h, w);
    const scale = basis.scale.dataSync();
    const image = tf.tidy(() => basis.toImage(tf, tf.tensor3d(coefficients, [1, h, 2 * k]), 1, 1).dataSync());
    basis.dispose();
    // numpy's irfft2 by hand: DC and Nyquist columns count once, the others twice (Hermitian pairs).
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        let sum = 0;
        for (let ky = 0; ky < h; ky++) {
          for (let kx = 0; kx < k; kx++) {
            const re = coefficients[ky * 2 * k + kx] * scale[ky * 2 * k + kx];
            const im = coefficients[ky * 2 * k + k + kx] * scale[ky * 2 * k + k + kx];
            const angle = 2 * Math.PI * ((ky * y) / h + (kx * x) / w);
            const weight = kx === 0 || kx === w / 2 ? 1 : 2;
            sum += weight * (re * Math.cos(angle) - im * Math.sin(angle));
          }
        }
        expect(image[y * w + x]).toBeCloseTo((sum / (h * w) / 4) * Math.sqrt(h * w), 5);
      }
    }
  });

  it('the warp copies under the identity and its gradient is its exact adjoint', () => {
    const x = tf.randomUniform([2, 7, 9, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const copy = tf.tidy(() => warp(tf, x, [7, 9], [IDENTITY, IDENTITY]).dataSync());
    expect(sameBytes(copy, x.dataSync())).toBe(true);
    // <warp(x), y> = <x, warpᵀ(y)> for a zoomed, turned, shifted warp onto another size.
    const turns: Affine[] = [
      { zoom: 1.1, angle: 0.2, shift: [1.5, -0.7] },
      { zoom: 0.9, angle: -0.1, shift: [0, 2] },
    ];
    const y = tf.randomUniform([2, 8, 6, 3], -1, 1, 'float32', 2);
    const [forward, adjoint] = tf.tidy(() => {
      const fx = tf.sum(tf.mul(warp(tf, x, [8, 6], turns), y)).dataSync()[0];
      const g = tf.grad((input: tf.Tensor) =>
        tf.sum(tf.mul(warp(tf, input as tf.Tensor4D, [8, 6], turns), y)),
      )(x);
      return [fx, tf.sum(tf.mul(x, g)).dataSync()[0]];
    });
    expect(adjoint).toBeCloseTo(forward, 4);
    tf.dispose([x, y]);
  });

  it('previews come after steps 1, 2, 4, … then every n steps, and at the end', () => {
    const steps = Array.from({ length: 40 }, (_, i) => i + 1).filter((s) => isPreviewStep(s, 16, 40));
    expect(steps).toEqual([1, 2, 4, 8, 16, 32, 40]);
    expect([1, 5, 10].filter((s) => isPreviewStep(s, 0, 10))).toEqual([]);
  });

  it('gram similarity is 1 for identical images and 0 for disjoint channels', () => {
    const [same, apart] = tf.tidy(() => [
      gramSimilarity(tf, tf.tensor3d([1, 2, 3, 1, 2, 3], [2, 1, 3])).dataSync()[0],
      gramSimilarity(tf, tf.tensor3d([1, 0, 0, 1], [2, 1, 2])).dataSync()[0],
    ]);
    expect(same).toBeCloseTo(1, 5);
    expect(apart).toBeCloseTo(0, 5);
  });
});

describe('feature visualisation on the built-in model', () => {
  failOnTensorLeaks();
  let loaded: LoadedModel;
  beforeAll(async () => {
    await useBackend('wasm');
    loaded = await loadServerModel(tf, 'mnist-cnn');
    return () => loaded.dispose();
  });

  it('excites its channel more than the best of the built-in digits, and its own channel most', async () => {
    const objective = { kind: 'channel', layer: 'conv2', channel: 3 } as const;
    const previews: FeatureVisResult[] = [];
    const result = await featureVisualization(
      tf,
      loaded,
      { objective, steps: 48, seed: 1, previewEvery: 16 },
      {
        onPreview: (p) => previews.push(p),
      },
    );
    const best = await bestImagesPerChannel(tf, loaded, 'conv2', decodeFilesAhead(digits, loaded.manifest));
    expect(best.imagesSeen).toBe(digits.length);
    expect(result.values[0]).toBeGreaterThan(best.values[3]);
    const [means] = await channelMeans(tf, loaded, 'conv2', result.images);
    // values are measured on the 8-bit image, exactly as channelMeans sees it.
    expect(means[3]).toBeCloseTo(result.values[0], 4);
    expect(selectivity(means, 3)).toBeGreaterThan(1);
    expect(previews.map((p) => p.step)).toEqual([1, 2, 4, 8, 16, 32, 48]);
    expect(sameBytes(previews[previews.length - 1].images[0].data, result.images[0].data)).toBe(true);
    expect(result.trace[47]).toBeGreaterThan(result.trace[0]);
  });

  it('gives the same image for the same seed and settings, another for another seed', async () => {
    const request = {
      objective: { kind: 'neuron', layer: 'conv1', channel: 5, y: 10, x: 12 } as const,
      steps: 6,
    };
    const [a, b, c] = [
      await featureVisualization(tf, loaded, { ...request, seed: 7 }),
      await featureVisualization(tf, loaded, { ...request, seed: 7 }),
      await featureVisualization(tf, loaded, { ...request, seed: 8 }),
    ];
    expect(sameBytes(a.images[0].data, b.images[0].data)).toBe(true);
    expect(a.values).toEqual(b.values);
    expect(sameBytes(a.images[0].data, c.images[0].data)).toBe(false);
  });

  it('optimises a class logit through a Dense softmax layer', async () => {
    // The head's logits must give the model's probabilities back through a softmax.
    const input = tf.randomUniform([1, 28, 28, 1], 0, 1, 'float32', 3);
    const [logits, probs] = tf.tidy(() => {
      const values = Array.from({ length: 10 }, (_, classIndex) => {
        const head = objectiveHead(tf, loaded, { kind: 'class', classIndex });
        return head.evaluate(layerOutputModel(tf, loaded, head.input).predict(input) as tf.Tensor).values;
      });
      return [
        tf.softmax(tf.concat(values)).dataSync(),
        (loaded.model.predict(input) as tf.Tensor).dataSync(),
      ];
    });
    input.dispose();
    for (let i = 0; i < 10; i++) expect(logits[i]).toBeCloseTo(probs[i], 5);
    const result = await featureVisualization(tf, loaded, {
      objective: { kind: 'class', classIndex: 3 },
      steps: 24,
    });
    const predicted = tf.tidy(() =>
      (
        loaded.model.predict(
          tf.div(tf.tensor4d(Float32Array.from(result.images[0].data), [1, 28, 28, 1]), 255),
        ) as tf.Tensor
      ).dataSync(),
    );
    expect(predicted[3]).toBeGreaterThan(0.9);
  });

  it('with a diversity penalty the images of a batch grow less alike', async () => {
    const request = {
      objective: { kind: 'channel', layer: 'conv3', channel: 7 } as const,
      steps: 32,
      images: 3,
    };
    const similarity = async (diversity: number) => {
      const result = await featureVisualization(tf, loaded, { ...request, diversity });
      expect(result.images).toHaveLength(3);
      const head = objectiveHead(tf, loaded, request.objective);
      return tf.tidy(() => {
        const batch = tf.tensor4d(
          Float32Array.from(result.images.flatMap((image) => Array.from(image.data))),
          [3, 28, 28, 1],
        );
        const output = layerOutputModel(tf, loaded, head.input).predict(tf.div(batch, 255)) as tf.Tensor;
        return gramSimilarity(tf, head.evaluate(output).features).dataSync()[0];
      });
    };
    expect(await similarity(2)).toBeLessThan(await similarity(0));
  });

  it('refuses settings out of range with the allowed range', async () => {
    const objective = { kind: 'channel', layer: 'conv2', channel: 3 } as const;
    await expect(featureVisualization(tf, loaded, { objective, size: 64 })).rejects.toThrow(
      /size must be .*8\.\.28/,
    );
    await expect(
      featureVisualization(tf, loaded, { objective: { ...objective, channel: 99 } }),
    ).rejects.toThrow(/channel 99 is outside conv2's 32 channels/);
    await expect(
      featureVisualization(tf, loaded, { objective: { kind: 'class', classIndex: 10 } }),
    ).rejects.toThrow(/class 10/);
  });
});

describe.skipIf(!hasPacks)('feature visualisation on a pack model (TinyVGG)', () => {
  failOnTensorLeaks();
  let loaded: LoadedModel;
  beforeAll(async () => {
    await useBackend('wasm');
    loaded = await loadPackModel('tinyvgg');
    return () => loaded.dispose();
  });

  it('excites its channel more than the best of the CNN Explainer photos', async () => {
    const files = imageFilesIn(path.join(packs, 'images/cnn-explainer-tiny-imagenet'));
    const objective = { kind: 'channel', layer: 'relu_2_2', channel: 4 } as const;
    const result = await featureVisualization(tf, loaded, { objective, steps: 48, learningRate: 0.1 });
    const best = await bestImagesPerChannel(tf, loaded, 'relu_2_2', decodeFilesAhead(files, loaded.manifest));
    expect(best.imagesSeen).toBe(files.length);
    expect(result.values[0]).toBeGreaterThan(best.values[4]);
  });
});
