import { beforeAll, describe, expect, it } from 'vitest';
import {
  convLayerNames,
  filterSimilarity,
  filterWeights,
  meanOverInputChannels,
  preferredInputs,
  readFilterBank,
  renderColourFilters,
  renderMeanTiles,
  similarityOrder,
} from '@/lib/viz/filters';
import { seededRandom } from '../../helpers/random';
import { failOnTensorLeaks, hasPacks, manifestFor, tf, useBackend, wrap } from './helpers';

/** Kernel [kh, kw, in, out] with value(ky, kx, c, f). */
function kernel(
  shape: [number, number, number, number],
  value: (ky: number, kx: number, c: number, f: number) => number,
) {
  const [kh, kw, ci, co] = shape;
  const data = new Float32Array(kh * kw * ci * co);
  for (let ky = 0; ky < kh; ky++)
    for (let kx = 0; kx < kw; kx++)
      for (let c = 0; c < ci; c++)
        for (let f = 0; f < co; f++) data[((ky * kw + kx) * ci + c) * co + f] = value(ky, kx, c, f);
  return data;
}

function convModel() {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [5, 5, 3], filters: 4, kernelSize: 2, useBias: false, name: 'c1' }),
      tf.layers.depthwiseConv2d({ kernelSize: 2, depthMultiplier: 2, useBias: false, name: 'dw' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 2, name: 'fc' }),
    ],
  });
  // f0: a ramp; f1 = 2·f0; f2 = −f0; f3 is 1 only where f0 is 0 (orthogonal).
  const ramp = (ky: number, kx: number, c: number) => (c === 0 ? ky * 2 + kx : 0);
  const w = kernel([2, 2, 3, 4], (ky, kx, c, f) => {
    const r = ramp(ky, kx, c);
    return [r, 2 * r, -r, c === 1 ? 1 : 0][f];
  });
  tf.tidy(() => model.getLayer('c1').setWeights([tf.tensor4d(w, [2, 2, 3, 4])]));
  const dw = kernel([2, 2, 4, 2], (ky, kx, c, m) => 100 * c + 10 * m + ky * 2 + kx);
  tf.tidy(() => model.getLayer('dw').setWeights([tf.tensor4d(dw, [2, 2, 4, 2])]));
  return wrap(model, manifestFor('conv', { height: 5, width: 5, channels: 3 }));
}

describe('filters', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('cpu'));

  it('lists conv layers and reads kernels filter-major', async () => {
    const loaded = convModel();
    expect(convLayerNames(loaded)).toEqual(['c1', 'dw']);
    const bank = await readFilterBank(tf, loaded, 'c1');
    expect([bank.count, bank.kernelHeight, bank.kernelWidth, bank.inChannels]).toEqual([4, 2, 2, 3]);
    // Filter 1, (ky=1, kx=0), channel 0 = 2 · ramp = 2 · 2.
    expect(filterWeights(bank, 1)[(1 * 2 + 0) * 3 + 0]).toBe(4);
    const dw = await readFilterBank(tf, loaded, 'dw');
    expect([dw.count, dw.inChannels, dw.kind]).toEqual([8, 1, 'depthwise-conv2d']);
    // Output channel c·2 + m of a depthwise layer is input channel c with multiplier m.
    expect(Array.from(filterWeights(dw, 3 * 2 + 1))).toEqual([310, 311, 312, 313]);
    await expect(readFilterBank(tf, loaded, 'fc')).rejects.toThrow(/no convolution kernels/);
    loaded.dispose();
  });

  it('measures cosine similarity, flags near-duplicates and groups alike filters', async () => {
    const loaded = convModel();
    const bank = await readFilterBank(tf, loaded, 'c1');
    const sim = await filterSimilarity(tf, bank);
    const at = (i: number, j: number) => sim.matrix[i * 4 + j];
    expect(at(0, 0)).toBeCloseTo(1, 6);
    expect(at(0, 1)).toBeCloseTo(1, 6);
    expect(at(0, 2)).toBeCloseTo(-1, 6);
    expect(at(0, 3)).toBeCloseTo(0, 6);
    expect(at(3, 1)).toBeCloseTo(0, 6);
    expect(sim.nearDuplicates.map((d) => [d.i, d.j])).toEqual([
      [0, 1],
      [0, 2],
      [1, 2],
    ]);
    expect(new Set(sim.order)).toEqual(new Set([0, 1, 2, 3]));
    const pos = (f: number) => sim.order.indexOf(f);
    expect(Math.abs(pos(0) - pos(1))).toBe(1);
    loaded.dispose();
  });

  it('orders blocks of alike filters next to each other', () => {
    // Filters 0, 2, 4 alike and 1, 3 alike.
    const n = 5;
    const group = (i: number) => i % 2;
    const m = new Float32Array(n * n);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        m[i * n + j] = i === j ? 1 : group(i) === group(j) ? 0.8 - 0.01 * (i + j) : 0.1;
    const order = similarityOrder(m, n);
    const groups = order.map(group);
    const changes = groups.slice(1).filter((g, i) => g !== groups[i]).length;
    expect(changes).toBe(1);
  });

  it('draws tiles with per-filter and shared scales', async () => {
    const loaded = convModel();
    const bank = await readFilterBank(tf, loaded, 'c1');
    const per = renderColourFilters(bank, 'per-filter');
    const shared = renderColourFilters(bank, 'shared');
    expect(per).toHaveLength(4);
    expect([per[0].height, per[0].width, per[0].data.length]).toEqual([2, 2, 16]);
    // f0 red channel is the ramp 0,1,2,3 within the filter's range 0..3.
    expect([0, 1, 2, 3].map((p) => per[0].data[p * 4])).toEqual([0, 85, 170, 255]);
    expect(per[0].data[3]).toBe(255);
    // Shared range is −3..6 over the layer: f1's largest weight 6 → 255, f2's −3 → 0.
    expect(shared[1].data[3 * 4]).toBe(255);
    expect(shared[2].data[3 * 4]).toBe(0);
    expect(shared[0].data[0]).toBe(Math.round((3 / 9) * 255));

    const means = meanOverInputChannels(bank);
    expect(Array.from(means[0])).toEqual([0, 1 / 3, 2 / 3, 1].map((v) => Math.fround(v)));
    expect(renderMeanTiles(bank, 'shared')).toHaveLength(4);
    loaded.dispose();
  });

  it('gives the unit-norm input that fires each first-layer filter most', async () => {
    const loaded = convModel();
    const bank = await readFilterBank(tf, loaded, 'c1');
    const { inputs, tiles } = preferredInputs(bank);
    const norm = Math.sqrt(inputs[0].reduce((s, v) => s + v * v, 0));
    expect(norm).toBeCloseTo(1, 6);
    expect(inputs[0][3 * 3]).toBeCloseTo(3 / Math.sqrt(14), 6);
    expect(Array.from(inputs[1])).toEqual(Array.from(inputs[0]));
    // Mid-grey is zero: f3 is zero outside channel 1.
    expect(tiles[3].data[0]).toBe(128);
    expect(tiles[3].data[1]).toBeGreaterThan(128);
    // No other unit vector scores higher on the filter than w/‖w‖.
    const w = filterWeights(bank, 0);
    const score = (x: ArrayLike<number>) => Array.from(w).reduce((s, v, i) => s + v * x[i], 0);
    const next = seededRandom(7);
    for (let trial = 0; trial < 20; trial++) {
      const random = Float32Array.from({ length: w.length }, () => next() - 0.5);
      const rn = Math.sqrt(random.reduce((s, v) => s + v * v, 0));
      expect(score(inputs[0])).toBeGreaterThan(score(random.map((v) => v / rn)));
    }
    loaded.dispose();
  });

  it.skipIf(!hasPacks)('reads SqueezeNet conv1: 96 colour filters 7x7', async () => {
    await useBackend('wasm');
    const { loadPackModel } = await import('./packs');
    const loaded = await loadPackModel('squeezenet-1.0');
    const before = tf.memory().numTensors;
    const names = convLayerNames(loaded);
    expect(names).toHaveLength(26);
    const bank = await readFilterBank(tf, loaded, 'conv1');
    expect([bank.count, bank.kernelHeight, bank.inChannels]).toEqual([96, 7, 3]);
    const sim = await filterSimilarity(tf, await readFilterBank(tf, loaded, 'fire9_expand1x1'));
    expect(sim.count).toBe(256);
    expect(sim.order).toHaveLength(256);
    for (let i = 0; i < 256; i++)
      expect(sim.matrix[i * 256 + i] === 0 || Math.abs(sim.matrix[i * 256 + i] - 1) < 1e-5).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    loaded.dispose();
    await useBackend('cpu');
  });
});
