import { beforeAll, describe, expect, it } from 'vitest';
import { layerGraph, samePadBefore } from '@/lib/models/graph';
import type { LayerInfo } from '@/lib/models/types';
import {
  clipBox,
  layerReceptiveFields,
  neuronBox,
  neuronReceptiveField,
  receptiveFieldOf,
} from '@/lib/viz/receptive-field';
import { inputLayer, plainLayer, windowLayer } from '../../helpers/layers';
import { boxMismatch, empiricalBoxes, linearisedClone } from './helpers/empirical-rf';
import { randomArchitecture } from './helpers/random-architectures';
import { tf, useWasm } from './helpers/tf-wasm';

beforeAll(async () => {
  await useWasm();
});

const conv = (
  name: string,
  inbound: string,
  outputShape: number[],
  kernel: number,
  stride: number,
  pad: number,
  dilation = 1,
) => windowLayer(name, inbound, outputShape, { kernel, stride, pad, dilation });

const input = inputLayer([32, 32, 3]);

describe('receptive-field arithmetic', () => {
  it("resolves TF 'same' padding with the odd pixel after", () => {
    expect(samePadBefore(224, 3, 2, 1)).toBe(0); // total 1
    expect(samePadBefore(7, 3, 2, 1)).toBe(1); // total 2
    expect(samePadBefore(10, 4, 1, 1)).toBe(1); // total 3
    expect(samePadBefore(9, 3, 1, 2)).toBe(2); // dilated kernel spans 5
    expect(samePadBefore(5, 1, 3, 1)).toBe(0);
  });

  it('stacks size, jump and start layer by layer', () => {
    const layers = [
      input,
      conv('a', 'in', [32, 32, 8], 3, 1, 1),
      conv('b', 'a', [16, 16, 8], 3, 2, 0),
      conv('c', 'b', [16, 16, 8], 3, 1, 2, 2),
    ];
    const fields = layerReceptiveFields(layers);
    expect(fields.get('a')).toEqual({ size: [3, 3], jump: [1, 1], start: [-1, -1] });
    expect(fields.get('b')).toEqual({ size: [5, 5], jump: [2, 2], start: [-1, -1] });
    // dilation 2: effective kernel 5 on a grid of jump 2 adds 8; padding 2 moves the start by 4.
    expect(fields.get('c')).toEqual({ size: [13, 13], jump: [2, 2], start: [-5, -5] });
    expect(neuronBox(fields.get('c')!, 3, 0)).toEqual([1, -5, 14, 8]);
    expect(neuronReceptiveField(layers, { layer: 'c', y: 0, x: 15 })).toEqual({
      box: [-5, 25, 8, 38],
      clipped: [0, 25, 8, 32],
    });
  });

  it('takes the union of branches and the whole extent for global layers', () => {
    const branchA = conv('a', 'in', [32, 32, 4], 1, 1, 0);
    const branchB = conv('b', 'in', [32, 32, 4], 5, 1, 2);
    const concat = plainLayer('cat', 'concatenate', ['a', 'b'], [32, 32, 8]);
    const pool = plainLayer('gap', 'global-pool', ['cat'], [8]);
    const dense = plainLayer('fc', 'dense', ['gap'], [10]);
    const layers = [input, branchA, branchB, concat, pool, dense];
    expect(receptiveFieldOf(layers, 'cat')).toEqual({ size: [5, 5], jump: [1, 1], start: [-2, -2] });
    expect(receptiveFieldOf(layers, 'fc')).toEqual({ size: [36, 36], jump: [0, 0], start: [-2, -2] });
    expect(neuronReceptiveField(layers, { layer: 'fc', y: 0, x: 0 }).clipped).toEqual([0, 0, 32, 32]);
  });

  it('names the problem for unknown layers and neurons outside the layer', () => {
    const layers = [input, conv('a', 'in', [30, 30, 8], 3, 1, 0)];
    expect(() => receptiveFieldOf(layers, 'nope')).toThrow(/unknown layer "nope"/);
    expect(() => neuronReceptiveField(layers, { layer: 'a', y: 30, x: 0 })).toThrow(
      /outside layer a, whose output is 30×30/,
    );
  });

  it('clips boxes to the image, keeping empty boxes empty', () => {
    expect(clipBox([-3, 5, 4, 40], 32, 32)).toEqual([0, 5, 4, 32]);
    expect(clipBox([40, 40, 50, 50], 32, 32)).toEqual([32, 32, 32, 32]);
  });
});

/** Neurons worth checking in a layer: corners, centre, and the first/last whose box starts/ends inside. */
function probeNeurons(
  layers: LayerInfo[],
  layer: LayerInfo,
  fields: ReturnType<typeof layerReceptiveFields>,
  inputShape: number[],
): [number, number][] {
  if (layer.outputShape.length !== 3) return [[0, 0]];
  const [h, w] = layer.outputShape;
  const field = fields.get(layer.name)!;
  const firstInside = (axis: 0 | 1, n: number) => {
    for (let i = 0; i < n; i++) if (field.start[axis] + i * field.jump[axis] >= 0) return i;
    return 0;
  };
  const lastInside = (axis: 0 | 1, n: number) => {
    for (let i = n - 1; i >= 0; i--)
      if (field.start[axis] + i * field.jump[axis] + field.size[axis] <= inputShape[axis]) return i;
    return n - 1;
  };
  const neurons: [number, number][] = [
    [0, 0],
    [h - 1, w - 1],
    [0, w - 1],
    [Math.floor(h / 2), Math.floor(w / 2)],
    [firstInside(0, h), firstInside(1, w)],
    [lastInside(0, h), lastInside(1, w)],
  ];
  // On a small map wrapped in zero padding every probe above may be padding: add the first position the
  // arithmetic calls real (the empirical check then confirms or refutes it).
  if (layer.kind === 'zero-padding') {
    const real = realPosition(layers, layer, fields);
    if (real) neurons.push(real);
  }
  return neurons;
}

function realPosition(
  layers: LayerInfo[],
  layer: LayerInfo,
  fields: ReturnType<typeof layerReceptiveFields>,
): [number, number] | undefined {
  const [h, w] = layer.outputShape;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const [y0, x0, y1, x1] = neuronReceptiveField(layers, { layer: layer.name, y, x }, fields).clipped;
      if (y1 > y0 && x1 > x0) return [y, x];
    }
  }
  return undefined;
}

/**
 * For each probed neuron: the empirical box (bounding box of non-zero input gradient) must equal `clipped`
 * exactly and lie inside the geometric box clipped to the image. Where the geometric box ends inside the
 * image it must share that edge too, except in models with explicit zero-padding or cropping layers: there
 * the geometric box may cover image pixels through padded positions or cropped-away ones, where the
 * network has no real input.
 */
function compareWithEmpirical(
  model: tf.LayersModel,
  clone: tf.LayersModel,
  layerNames?: string[],
): { problems: string[]; checked: number; edgeChecked: number } {
  const layers = layerGraph(model);
  const fields = layerReceptiveFields(layers);
  const [height, width] = layers[0].outputShape;
  const strictEdges = !layers.some((layer) => layer.kind === 'cropping' || layer.kind === 'zero-padding');
  const problems: string[] = [];
  let checked = 0;
  let edgeChecked = 0;
  for (const layer of layers) {
    if (layer.kind === 'input' || (layerNames && !layerNames.includes(layer.name))) continue;
    const neurons = probeNeurons(layers, layer, fields, layers[0].outputShape);
    const measured = empiricalBoxes(tf, clone, layer.name, neurons);
    let real = 0;
    if (strictEdges) edgeChecked += neurons.length;
    neurons.forEach(([y, x], i) => {
      const { box, clipped } = neuronReceptiveField(layers, { layer: layer.name, y, x }, fields);
      const where = `${layer.name} (${layer.className}) neuron (${y}, ${x})`;
      const empirical = measured[i];
      const empiricalEmpty = empirical[2] <= empirical[0] || empirical[3] <= empirical[1];
      const clippedEmpty = clipped[2] <= clipped[0] || clipped[3] <= clipped[1];
      if (empiricalEmpty || clippedEmpty) {
        if (empiricalEmpty !== clippedEmpty)
          problems.push(`${where}: empirical [${empirical}] vs clipped [${clipped}]`);
        return;
      }
      real++;
      checked++;
      if (empirical.join() !== clipped.join())
        problems.push(`${where}: empirical [${empirical}] vs clipped [${clipped}]`);
      const mismatch = boxMismatch(clipped, box, height, width);
      if (mismatch && (strictEdges || mismatch.startsWith('outside'))) problems.push(`${where}: ${mismatch}`);
    });
    if (real === 0) problems.push(`${layer.name}: no probed neuron depends on the input`);
  }
  return { problems, checked, edgeChecked };
}

describe('receptive fields match the empirical field (non-zero input gradient)', () => {
  it('on 40 random small architectures', async () => {
    const kinds = new Set<string>();
    let checked = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const { model, blocks } = randomArchitecture(tf, seed);
      for (const block of blocks) kinds.add(block);
      const clone = await linearisedClone(tf, model, seed);
      const result = compareWithEmpirical(model, clone);
      expect(result.problems, `seed ${seed}: ${blocks.join(' → ')}`).toEqual([]);
      checked += result.checked;
      model.dispose();
      clone.dispose();
    }
    expect([...kinds].sort()).toEqual(
      [
        'activations',
        'add',
        'concatenate',
        'conv',
        'cropping',
        'dense',
        'depthwise',
        'global-pool',
        'pool',
        'separable',
        'zero-padding',
      ].sort(),
    );
    expect(checked).toBeGreaterThan(500);
  });

  it('on 25 random architectures without explicit padding, geometric edges included', async () => {
    let edgeChecked = 0;
    for (let seed = 101; seed <= 125; seed++) {
      const { model, blocks } = randomArchitecture(tf, seed, false);
      const clone = await linearisedClone(tf, model, seed);
      const result = compareWithEmpirical(model, clone);
      expect(result.problems, `seed ${seed}: ${blocks.join(' → ')}`).toEqual([]);
      edgeChecked += result.edgeChecked;
      model.dispose();
      clone.dispose();
    }
    expect(edgeChecked).toBeGreaterThan(400);
  });
});
