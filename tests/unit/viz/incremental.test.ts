import { beforeAll, describe, expect, it } from 'vitest';
import type { PixelImage } from '@/lib/viz/image';
import { fuseConvolutions } from '@/lib/viz/incremental/fuse';
import { batchWindows, reachedOutputs } from '@/lib/viz/incremental/geometry';
import { planModel } from '@/lib/viz/incremental/plan';
import {
  ADAPTIVE_DRILL_DOWN,
  coarseStrideFor,
  type OcclusionMap,
  occlusionMap,
  PROJECTIVE_STATED_ERROR,
} from '@/lib/viz/occlusion';
import { failOnTensorLeaks, hasPacks, manifestFor, tf, useBackend, wrap } from './helpers';

/** Random weights everywhere; batch norm variances positive. */
function randomize(model: tf.LayersModel, std: number): void {
  tf.tidy(() => {
    let seed = 1;
    for (const layer of model.layers) {
      const weights = layer.getWeights();
      if (weights.length === 0) continue;
      const isBatchNorm = layer.getClassName() === 'BatchNormalization';
      layer.setWeights(
        weights.map((w, i) =>
          isBatchNorm && i === weights.length - 1
            ? tf.randomUniform(w.shape, 0.5, 1.5, 'float32', seed++)
            : tf.randomNormal(w.shape, 0, std, 'float32', seed++),
        ),
      );
    }
  });
}

/**
 * Every layer kind the incremental path handles: strided and dilated convolutions with 'same' and
 * 'valid' padding, depthwise, batch norm, activations, 'same' max pooling (padded with −∞), zero
 * padding, a concatenation and an addition of branches, then a whole-map tail.
 */
function branchyNet(output: 'softmax' | 'logits') {
  const L = tf.layers;
  const input = tf.input({ shape: [21, 19, 3] });
  let x = L.conv2d({ filters: 6, kernelSize: 3, strides: 2, padding: 'same', name: 'c1' }).apply(input);
  x = L.batchNormalization({ name: 'bn1' }).apply(x);
  x = L.activation({ activation: 'relu6', name: 'a1' }).apply(x);
  x = L.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw', activation: 'relu' }).apply(x);
  x = L.maxPooling2d({ poolSize: 2, strides: 1, padding: 'same', name: 'mp' }).apply(x);
  const a = L.conv2d({ filters: 4, kernelSize: 1, activation: 'sigmoid', name: 'e1' }).apply(
    x,
  ) as tf.SymbolicTensor;
  const b = L.conv2d({ filters: 4, kernelSize: 3, padding: 'same', name: 'e3' }).apply(
    x,
  ) as tf.SymbolicTensor;
  x = L.concatenate({ name: 'cat' }).apply([a, b]);
  x = L.zeroPadding2d({
    padding: [
      [1, 2],
      [0, 1],
    ],
    name: 'zp',
  }).apply(x);
  const y = L.conv2d({ filters: 8, kernelSize: 3, dilationRate: 2, name: 'dil' }).apply(
    x,
  ) as tf.SymbolicTensor;
  const z = L.leakyReLU({ alpha: 0.1, name: 'lrelu' }).apply(
    L.conv2d({ filters: 8, kernelSize: 3, dilationRate: 2, name: 'dil2' }).apply(x),
  ) as tf.SymbolicTensor;
  x = L.add({ name: 'sum' }).apply([y, z]);
  x = L.maxPooling2d({ poolSize: 3, strides: 2, name: 'mpv' }).apply(x);
  x = L.dropout({ rate: 0.5, name: 'drop' }).apply(x);
  x = L.globalAveragePooling2d({ name: 'gap' }).apply(x);
  x = L.dense({ units: 5, activation: output === 'softmax' ? 'softmax' : 'linear', name: 'fc' }).apply(x);
  const model = tf.model({ inputs: input, outputs: x as tf.SymbolicTensor });
  randomize(model, 0.3);
  const manifest = manifestFor('branchy', { height: 21, width: 19, channels: 3 }, { output });
  manifest.preprocessing = { ...manifest.preprocessing, mean: [120, 110, 100], scale: 1 / 64, offset: 0.1 };
  return wrap(model, manifest);
}

/**
 * MobileNet-style blocks, conv → batch norm → activation, in the variants the executor folds: no
 * bias, a bias, batch norm without scale or without centre, ReLU(max 6), relu and relu6 activations.
 */
function mobileBlocks() {
  const L = tf.layers;
  const input = tf.input({ shape: [21, 19, 3] });
  let x = L.conv2d({
    filters: 4,
    kernelSize: 3,
    strides: 2,
    padding: 'same',
    useBias: false,
    name: 'c1',
  }).apply(input);
  x = L.batchNormalization({ name: 'c1_bn' }).apply(x);
  x = L.reLU({ maxValue: 6, name: 'c1_relu' }).apply(x);
  x = L.depthwiseConv2d({ kernelSize: 3, padding: 'same', name: 'dw' }).apply(x);
  x = L.batchNormalization({ scale: false, name: 'dw_bn' }).apply(x);
  x = L.activation({ activation: 'relu', name: 'dw_relu' }).apply(x);
  x = L.conv2d({ filters: 6, kernelSize: 1, name: 'pw' }).apply(x);
  x = L.batchNormalization({ center: false, name: 'pw_bn' }).apply(x);
  x = L.activation({ activation: 'relu6', name: 'pw_relu' }).apply(x);
  x = L.globalAveragePooling2d({ name: 'gap' }).apply(x);
  x = L.dense({ units: 5, activation: 'softmax', name: 'fc' }).apply(x);
  const model = tf.model({ inputs: input, outputs: x as tf.SymbolicTensor });
  randomize(model, 1);
  const manifest = manifestFor('blocks', { height: 21, width: 19, channels: 3 });
  manifest.preprocessing = { ...manifest.preprocessing, mean: [120, 110, 100], scale: 1 / 16 };
  return wrap(model, manifest);
}

const image: PixelImage = {
  height: 21,
  width: 19,
  channels: 3,
  data: Uint8Array.from({ length: 21 * 19 * 3 }, (_, i) => (i * 97 + ((i * i) % 31)) % 256),
};

describe('incremental occlusion', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('finds the outputs a changed input span reaches', () => {
    const axis = { extent: 3, stride: 2, padBefore: 1, inputSize: 10, outputSize: 5 };
    // Output o reads inputs [2o − 1, 2o + 2).
    expect(reachedOutputs({ start: 4, end: 5 }, axis)).toEqual({ start: 2, end: 3 });
    expect(reachedOutputs({ start: 3, end: 4 }, axis)).toEqual({ start: 1, end: 3 });
    expect(reachedOutputs({ start: 0, end: 10 }, axis)).toEqual({ start: 0, end: 5 });
    // A 1x1 stride-2 window skips odd inputs.
    expect(reachedOutputs({ start: 3, end: 4 }, { ...axis, extent: 1, padBefore: 0 })).toEqual({
      start: 0,
      end: 0,
    });
    const w = batchWindows(
      [
        { start: 0, end: 2 },
        { start: 4, end: 7 },
        { start: 8, end: 10 },
      ],
      10,
    );
    expect(w.length).toBe(3);
    expect(Array.from(w.origins)).toEqual([0, 4, 7]);
  });

  for (const output of ['softmax', 'logits'] as const) {
    for (const [patch, stride, fill] of [
      [5, 2, 'grey'],
      [8, 3, 'blur'],
      [4, 5, 'mean'],
      [15, 2, 'zero'],
    ] as const) {
      it(`matches the full pass (${output}, patch ${patch}, stride ${stride}, ${fill})`, async () => {
        const before = tf.memory().numTensors;
        const loaded = branchyNet(output);
        const options = { patch, stride, fill, batchSize: 7 };
        const full = await occlusionMap(tf, loaded, image, { ...options, method: 'batched' });
        const inc = await occlusionMap(tf, loaded, image, { ...options, method: 'incremental' });
        expect([inc.rows, inc.cols, inc.classIndex]).toEqual([full.rows, full.cols, full.classIndex]);
        for (let i = 0; i < full.prob.length; i++)
          expect(Math.abs(inc.prob[i] - full.prob[i])).toBeLessThan(1e-5);
        // The patch must matter somewhere, or the comparison proves nothing.
        expect(Math.max(...full.drop.map(Math.abs))).toBeGreaterThan(1e-3);
        // The folded weights stay with the model for its next map, and go with it.
        loaded.dispose();
        expect(tf.memory().numTensors).toBe(before);
      });
    }
  }

  it('folds batch norm and the activation into each convolution', async () => {
    const modelless = tf.memory().numTensors;
    const loaded = mobileBlocks();
    const before = tf.memory().numTensors;
    const { plan, weights } = await fuseConvolutions(tf, loaded, planModel(tf, loaded));
    const passThrough = plan.filter((p) => p.step.kind === 'pointwise').map((p) => p.info.name);
    expect(passThrough).toEqual(['c1_bn', 'c1_relu', 'dw_bn', 'dw_relu', 'pw_bn', 'pw_relu']);
    expect(weights).toHaveLength(6);
    for (const w of weights) w.dispose();
    expect(tf.memory().numTensors).toBe(before);

    const options = { patch: 9, stride: 3, fill: 'zero' as const, batchSize: 5 };
    const full = await occlusionMap(tf, loaded, image, { ...options, method: 'batched' });
    const inc = await occlusionMap(tf, loaded, image, { ...options, method: 'incremental' });
    for (let i = 0; i < full.prob.length; i++)
      expect(Math.abs(inc.prob[i] - full.prob[i])).toBeLessThan(1e-5);
    expect(Math.max(...full.drop.map(Math.abs))).toBeGreaterThan(1e-3);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(modelless);
  });

  it('serves coarse-to-fine too', async () => {
    const loaded = branchyNet('softmax');
    const coarse: number[][] = [];
    const inc = await occlusionMap(tf, loaded, image, {
      patch: 4,
      stride: 2,
      coarseStride: 4,
      method: 'incremental',
      onCoarse: (m) => coarse.push(Array.from(m.prob)),
    });
    const full = await occlusionMap(tf, loaded, image, { patch: 4, stride: 2 });
    for (let i = 0; i < full.prob.length; i++) expect(inc.prob[i]).toBeCloseTo(full.prob[i], 5);
    expect(coarse).toHaveLength(1);
    loaded.dispose();
  });

  it.skipIf(!hasPacks)('matches the full pass on the packs (wasm)', async () => {
    const { loadPackModel, pomeranian } = await import('./packs');
    await useBackend('wasm');
    for (const id of ['squeezenet-1.0', 'mobilenet-v1-0.25', 'darknet-tiny']) {
      const before = tf.memory().numTensors;
      const loaded = await loadPackModel(id);
      const picture = await pomeranian(loaded);
      // A coarse grid keeps this quick: 3x3 positions.
      const options = { patch: 48, stride: 80, fill: 'grey' as const, batchSize: 5 };
      const full = await occlusionMap(tf, loaded, picture, { ...options, method: 'batched' });
      const inc = await occlusionMap(tf, loaded, picture, { ...options, method: 'incremental' });
      expect(loaded.manifest.labels[full.classIndex]).toMatch(/Pomeranian/);
      for (let i = 0; i < full.prob.length; i++)
        expect(Math.abs(inc.prob[i] - full.prob[i])).toBeLessThan(1e-5);
      loaded.dispose();
      expect(tf.memory().numTensors).toBe(before);
    }
    await useBackend('cpu');
  });
});

/** Cells whose drop the exact map ranks in its top five, and how many of them `other` shares. */
function sharedTop5(exact: OcclusionMap, other: OcclusionMap): number {
  const top = (d: Float32Array) =>
    Array.from(d.keys())
      .sort((a, b) => d[b] - d[a])
      .slice(0, 5);
  const best = top(exact.drop);
  return top(other.drop).filter((c) => best.includes(c)).length;
}

describe('approximate occlusion modes', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('cpu'));
  const options = {
    patch: 5,
    stride: 2,
    fill: 'grey' as const,
    batchSize: 16,
    method: 'incremental' as const,
  };

  it('projective: exact at spread 1, labelled and different when the spread is cut', async () => {
    const loaded = branchyNet('softmax');
    const exact = await occlusionMap(tf, loaded, image, options);
    expect(exact.approximation).toBeUndefined();
    const full = await occlusionMap(tf, loaded, image, { ...options, mode: 'projective', spread: 1 });
    expect(Array.from(full.prob)).toEqual(Array.from(exact.prob));
    const cut = await occlusionMap(tf, loaded, image, { ...options, mode: 'projective', spread: 0.3 });
    expect(cut.approximation).toEqual({ mode: 'projective', spread: 0.3, computed: cut.rows * cut.cols });
    expect(cut.prob.every(Number.isFinite)).toBe(true);
    expect(cut.prob.some((p, i) => Math.abs(p - exact.prob[i]) > 1e-6)).toBe(true);
    loaded.dispose();
  });

  it('adaptive: coarse map first, computed cells exact, the others interpolated below the threshold', async () => {
    const loaded = branchyNet('softmax');
    const exact = await occlusionMap(tf, loaded, image, options);
    const coarse: OcclusionMap[] = [];
    const threshold = 0.01;
    const map = await occlusionMap(tf, loaded, image, {
      ...options,
      mode: 'adaptive',
      drillDown: { step: 4, threshold },
      onCoarse: (m) => coarse.push(m),
    });
    expect(coarse).toHaveLength(1);
    expect([coarse[0].stride, coarse[0].rows]).toEqual([8, Math.floor((exact.rows - 1) / 4) + 1]);
    expect(map.approximation?.mode).toBe('adaptive');
    const computed = map.approximation!.computed;
    expect(computed).toBeGreaterThan(coarse[0].rows * coarse[0].cols);
    expect(computed).toBeLessThan(exact.rows * exact.cols);
    for (let i = 0; i < exact.drop.length; i++) {
      const error = Math.abs(map.drop[i] - exact.drop[i]);
      if (error > 1e-6) expect(Math.abs(map.drop[i])).toBeLessThan(threshold);
    }
    // With a zero threshold every cell is computed: the exact map.
    const all = await occlusionMap(tf, loaded, image, {
      ...options,
      mode: 'adaptive',
      drillDown: { threshold: 0 },
    });
    expect(all.approximation?.computed).toBe(exact.rows * exact.cols);
    for (let i = 0; i < exact.drop.length; i++) expect(all.drop[i]).toBeCloseTo(exact.drop[i], 6);
    loaded.dispose();
  });

  it('picks a coarse grid of at most 64 cells on the fine grid', () => {
    expect(coarseStrideFor({ height: 224, width: 224 }, { patch: 32, stride: 8 })).toBe(32);
    expect(coarseStrideFor({ height: 224, width: 224 }, { patch: 8, stride: 4 })).toBe(28);
    expect(coarseStrideFor({ height: 28, width: 28 }, { patch: 8, stride: 4 })).toBeUndefined();
  });

  it.skipIf(!hasPacks)('stays within the stated error on a pack model (wasm)', async () => {
    const { loadPackModel, pomeranian } = await import('./packs');
    await useBackend('wasm');
    const loaded = await loadPackModel('mobilenet-v1-0.25');
    const picture = await pomeranian(loaded);
    const grid = { patch: 32, stride: 16, method: 'incremental' as const };
    const exact = await occlusionMap(tf, loaded, picture, grid);
    const projective = await occlusionMap(tf, loaded, picture, { ...grid, mode: 'projective' });
    for (let i = 0; i < exact.drop.length; i++)
      expect(Math.abs(projective.drop[i] - exact.drop[i])).toBeLessThanOrEqual(PROJECTIVE_STATED_ERROR);
    expect(sharedTop5(exact, projective)).toBe(5);
    const adaptive = await occlusionMap(tf, loaded, picture, { ...grid, mode: 'adaptive' });
    for (let i = 0; i < exact.drop.length; i++) {
      if (Math.abs(adaptive.drop[i] - exact.drop[i]) > 1e-6)
        expect(Math.abs(adaptive.drop[i])).toBeLessThan(ADAPTIVE_DRILL_DOWN.threshold);
    }
    loaded.dispose();
    await useBackend('cpu');
  });
});
