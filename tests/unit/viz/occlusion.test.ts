import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '@/lib/models/types';
import { resultKey } from '@/lib/protocol/compute';
import type { PixelImage } from '@/lib/viz/image';
import { gridCells, occludedProbability, occlusionMap } from '@/lib/viz/occlusion';
import { channelMeans, fillSource, gaussianBlur } from '@/lib/viz/occlusion-fill';
import { failOnTensorLeaks, manifestFor, tf, useBackend, wrap } from './helpers';

// A linear "probability" model: p = Σ w_i · x_i / 255 over a 6x5x1 image, so every
// occluded probability can be written down by hand.
const H = 6;
const W = 5;
const weights = Float32Array.from({ length: H * W }, (_, i) => (i + 1) / (H * W * 20));

function linearModel(): LoadedModel {
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [H, W, 1] }),
      tf.layers.dense({ units: 1, useBias: false, kernelInitializer: 'zeros' }),
    ],
  });
  tf.tidy(() => model.layers[1].setWeights([tf.tensor2d(weights, [H * W, 1])]));
  const manifest = manifestFor('linear', { height: H, width: W, channels: 1 }, {});
  manifest.preprocessing.scale = 1 / 255;
  return wrap(model, manifest);
}

const image: PixelImage = {
  height: H,
  width: W,
  channels: 1,
  data: Uint8Array.from({ length: H * W }, (_, i) => (i * 37) % 256),
};

/** The same model evaluated in JS on an image with a patch replaced by `value(y, x)`. */
function expectedProb(
  py: number,
  px: number,
  patch: number,
  value: (y: number, x: number) => number,
): number {
  let p = 0;
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const inside = y >= py && y < py + patch && x >= px && x < px + patch;
      p += weights[y * W + x] * (inside ? value(y, x) : image.data[y * W + x]);
    }
  }
  return p / 255;
}

describe('occlusion', () => {
  let loaded: LoadedModel;
  failOnTensorLeaks();
  beforeAll(async () => {
    await useBackend('cpu');
    loaded = linearModel();
  });

  it('keys an explicit exact mode as no mode, and each approximate mode apart', () => {
    const request = {
      kind: 'occlusion' as const,
      modelId: 'mnist-cnn',
      imageId: 'mnist/000-4.png',
      patch: 8,
      stride: 4,
      fill: 'grey' as const,
      classIndex: null,
    };
    const keys = [undefined, 'exact', 'projective', 'adaptive'].map((mode) =>
      resultKey({ ...request, ...(mode && { mode: mode as 'exact' }) }),
    );
    expect(keys[1]).toBe(keys[0]);
    expect(new Set(keys).size).toBe(3);
  });

  it('counts ⌊(size − patch)/stride⌋ + 1 cells per side', () => {
    expect(gridCells(224, 32, 8)).toBe(25);
    expect(gridCells(227, 32, 8)).toBe(25);
    expect(gridCells(6, 2, 2)).toBe(3);
    expect(gridCells(5, 2, 2)).toBe(2);
    expect(gridCells(5, 5, 3)).toBe(1);
    expect(() => gridCells(5, 6, 1)).toThrow(RangeError);
  });

  it('gives hand-computed probabilities and drops for a zero patch', async () => {
    const map = await occlusionMap(tf, loaded, image, { patch: 2, stride: 2, fill: 'zero', classIndex: 0 });
    expect([map.rows, map.cols]).toEqual([3, 2]);
    const base = expectedProb(0, 0, 0, () => 0);
    expect(map.baseProb).toBeCloseTo(base, 5);
    for (let r = 0; r < 3; r++) {
      for (let c = 0; c < 2; c++) {
        const p = expectedProb(r * 2, c * 2, 2, () => 0);
        expect(map.prob[r * 2 + c]).toBeCloseTo(p, 5);
        expect(map.drop[r * 2 + c]).toBeCloseTo(base - p, 5);
      }
    }
  });

  it('paints grey as 128 and mean as the image mean', async () => {
    const grey = await occlusionMap(tf, loaded, image, { patch: 3, stride: 1, fill: 'grey' });
    expect([grey.rows, grey.cols]).toEqual([4, 3]);
    expect(grey.prob[1 * 3 + 2]).toBeCloseTo(
      expectedProb(1, 2, 3, () => 128),
      5,
    );
    const mean = channelMeans(image)[0];
    const meanMap = await occlusionMap(tf, loaded, image, { patch: 3, stride: 1, fill: 'mean' });
    expect(meanMap.prob[2 * 3 + 1]).toBeCloseTo(
      expectedProb(2, 1, 3, () => mean),
      5,
    );
  });

  it('paints blur from the blurred copy under the patch', async () => {
    const blurred = fillSource(image, 'blur', 4);
    const map = await occlusionMap(tf, loaded, image, { patch: 4, stride: 1, fill: 'blur' });
    expect(map.prob[1 * map.cols + 1]).toBeCloseTo(
      expectedProb(1, 1, 4, (y, x) => blurred[y * W + x]),
      5,
    );
  });

  it('blurs like a direct 2-D Gaussian with clamped edges', () => {
    const px = Float32Array.from(image.data);
    const sigma = 1.2;
    const out = gaussianBlur({ height: H, width: W, channels: 1, data: px }, sigma);
    const r = Math.ceil(3 * sigma);
    const g = (d: number) => Math.exp(-(d * d) / (2 * sigma * sigma));
    let norm = 0;
    for (let d = -r; d <= r; d++) norm += g(d);
    const clamp = (v: number, n: number) => Math.min(n - 1, Math.max(0, v));
    for (const [y, x] of [
      [0, 0],
      [2, 3],
      [5, 4],
    ]) {
      let acc = 0;
      for (let dy = -r; dy <= r; dy++) {
        for (let dx = -r; dx <= r; dx++) acc += g(dy) * g(dx) * px[clamp(y + dy, H) * W + clamp(x + dx, W)];
      }
      expect(out[y * W + x]).toBeCloseTo(acc / (norm * norm), 3);
    }
    const flat = gaussianBlur(
      { height: H, width: W, channels: 1, data: new Float32Array(H * W).fill(77) },
      2,
    );
    for (const v of flat) expect(v).toBeCloseTo(77, 4);
  });

  it('does not depend on the batch size, and coarse-to-fine gives the same full map', async () => {
    const one = await occlusionMap(tf, loaded, image, { patch: 2, stride: 1, fill: 'grey', batchSize: 1 });
    const seven = await occlusionMap(tf, loaded, image, { patch: 2, stride: 1, fill: 'grey', batchSize: 7 });
    expect(Array.from(seven.prob)).toEqual(Array.from(one.prob));
    const coarseMaps: number[][] = [];
    const progress: number[] = [];
    const fine = await occlusionMap(tf, loaded, image, {
      patch: 2,
      stride: 1,
      fill: 'grey',
      coarseStride: 2,
      batchSize: 4,
      onCoarse: (m) => coarseMaps.push([m.rows, m.cols, ...m.prob]),
      onProgress: (p) => progress.push(p.done),
    });
    const coarse = await occlusionMap(tf, loaded, image, { patch: 2, stride: 2, fill: 'grey' });
    expect(coarseMaps).toEqual([[coarse.rows, coarse.cols, ...coarse.prob]]);
    for (let i = 0; i < fine.prob.length; i++) expect(fine.prob[i]).toBeCloseTo(one.prob[i], 6);
    expect(progress.at(-1)).toBe(fine.rows * fine.cols);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });

  it('answers a single patch, also one hanging over the border', async () => {
    const map = await occlusionMap(tf, loaded, image, { patch: 2, stride: 1, fill: 'zero' });
    const probe = await occludedProbability(tf, loaded, image, { y: 3, x: 2, patch: 2, fill: 'zero' });
    expect(probe.classIndex).toBe(map.classIndex);
    expect(probe.prob).toBeCloseTo(map.prob[3 * map.cols + 2], 6);
    const edge = await occludedProbability(tf, loaded, image, {
      y: 5,
      x: 4,
      patch: 3,
      fill: 'zero',
      classIndex: 0,
    });
    expect(edge.prob).toBeCloseTo(
      expectedProb(5, 4, 3, () => 0),
      5,
    );
  });

  it('applies softmax to a logits model and defaults to the top class', async () => {
    // Two logits: l0 = mean of the image / 255 · 4, l1 = 1.
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 2 })],
    });
    tf.tidy(() =>
      model.layers[1].setWeights([tf.tensor2d([1, 0, 1, 0, 1, 0, 1, 0], [4, 2]), tf.tensor1d([0, 1])]),
    );
    const manifest = manifestFor('logits', { height: 2, width: 2, channels: 1 }, { output: 'logits' });
    manifest.preprocessing.scale = 1 / 255;
    const logits = wrap(model, manifest);
    const img: PixelImage = { height: 2, width: 2, channels: 1, data: Uint8Array.from([255, 255, 255, 0]) };
    const map = await occlusionMap(tf, logits, img, { patch: 1, stride: 1, fill: 'zero' });
    const softmax0 = (l0: number) => Math.exp(l0) / (Math.exp(l0) + Math.exp(1));
    expect(map.classIndex).toBe(0);
    expect(map.baseProb).toBeCloseTo(softmax0(3), 5);
    expect(Array.from(map.prob).map((v) => Number(v.toFixed(5)))).toEqual(
      [softmax0(2), softmax0(2), softmax0(2), softmax0(3)].map((v) => Number(v.toFixed(5))),
    );
    logits.dispose();
  });

  it('stops when aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      occlusionMap(tf, loaded, image, { patch: 2, stride: 1, signal: controller.signal }),
    ).rejects.toThrow();
  });
});
