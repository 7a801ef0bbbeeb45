import { describe, expect, it } from 'vitest';
import {
  gridLines,
  inputSizeOf,
  maxOverhang,
  moveByKey,
  nearestNeuron,
  neuronBoxes,
  neuronCentre,
  outputGrid,
} from '@/app/_ui/viz/receptive-field-geometry';
import type { LayerInfo, LayerReceptiveField } from '@/lib/models/types';
import { layerReceptiveFields } from '@/lib/viz/receptive-field';
import { inputLayer, plainLayer, windowLayer } from '../../helpers/layers';

// 3x3 'same' conv (start -1, size 3, jump 1) then a 2x2 stride-2 pool (start -1, size 4, jump 2) on 8x8.
const conv: LayerReceptiveField = { size: [3, 3], jump: [1, 1], start: [-1, -1] };
const pool: LayerReceptiveField = { size: [4, 4], jump: [2, 2], start: [-1, -1] };
const image = { height: 8, width: 8 };

const layers: LayerInfo[] = [
  inputLayer([8, 8, 3], 'input'),
  windowLayer('conv', 'input', [8, 8, 4], { kernel: 3, pad: 1 }),
  windowLayer('pool', 'conv', [4, 4, 4], { kernel: 2, stride: 2, kind: 'max-pool' }),
  plainLayer('flat', 'flatten', ['pool'], [64]),
];

describe('neuron grid', () => {
  it('has one position for flat layers', () => {
    expect(outputGrid(layers[2])).toEqual({ rows: 4, cols: 4 });
    expect(outputGrid(layers[3])).toEqual({ rows: 1, cols: 1 });
  });

  it('finds the input size', () => {
    expect(inputSizeOf(layers)).toEqual(image);
    expect(inputSizeOf([])).toBeNull();
  });

  it('agrees with the library on the fields of this stack', () => {
    const fields = layerReceptiveFields(layers);
    expect(fields.get('conv')).toEqual(conv);
    expect(fields.get('pool')).toEqual(pool);
  });
});

describe('nearestNeuron', () => {
  it('centres a neuron on its field', () => {
    expect(neuronCentre(conv, 0, 0)).toEqual({ y: 0.5, x: 0.5 });
    expect(neuronCentre(pool, 1, 2)).toEqual({ y: 3, x: 5 });
  });

  it('picks the neuron whose field centre is nearest the pointer', () => {
    expect(nearestNeuron(conv, { rows: 8, cols: 8 }, { y: 3.7, x: 0.2 })).toEqual({ y: 3, x: 0 });
    // Pool centres are at 1, 3, 5, 7 on each axis.
    expect(nearestNeuron(pool, { rows: 4, cols: 4 }, { y: 1.9, x: 6.2 })).toEqual({ y: 0, x: 3 });
    expect(nearestNeuron(pool, { rows: 4, cols: 4 }, { y: 2.1, x: 5.9 })).toEqual({ y: 1, x: 2 });
  });

  it('clamps to the grid for points outside the image', () => {
    expect(nearestNeuron(pool, { rows: 4, cols: 4 }, { y: -10, x: 99 })).toEqual({ y: 0, x: 3 });
  });

  it('always picks (0, 0) on a layer that sees the whole image', () => {
    const whole: LayerReceptiveField = { size: [10, 10], jump: [0, 0], start: [-1, -1] };
    expect(nearestNeuron(whole, { rows: 1, cols: 1 }, { y: 7, x: 7 })).toEqual({ y: 0, x: 0 });
  });
});

describe('gridLines', () => {
  it('draws the borders between neighbouring cells inside the image', () => {
    expect(gridLines(pool, { rows: 4, cols: 4 }, image)).toEqual({ ys: [2, 4, 6], xs: [2, 4, 6] });
    expect(gridLines(conv, { rows: 8, cols: 8 }, image).xs).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('draws nothing for a single position', () => {
    expect(gridLines(pool, { rows: 1, cols: 1 }, image)).toEqual({ ys: [], xs: [] });
  });
});

describe('moveByKey', () => {
  const grid = { rows: 4, cols: 4 };
  it('moves one neuron per arrow key, clamped to the grid', () => {
    expect(moveByKey({ y: 1, x: 1 }, 'ArrowDown', grid)).toEqual({ y: 2, x: 1 });
    expect(moveByKey({ y: 1, x: 1 }, 'ArrowLeft', grid)).toEqual({ y: 1, x: 0 });
    expect(moveByKey({ y: 0, x: 3 }, 'ArrowUp', grid)).toEqual({ y: 0, x: 3 });
    expect(moveByKey({ y: 0, x: 3 }, 'ArrowRight', grid)).toEqual({ y: 0, x: 3 });
    expect(moveByKey({ y: 0, x: 0 }, 'Enter', grid)).toBeNull();
  });
});

describe('boxes', () => {
  it('gives the unclipped and clipped box of a corner neuron', () => {
    expect(neuronBoxes(pool, 0, 3, image)).toEqual({ box: [-1, 5, 3, 9], clipped: [0, 5, 3, 8] });
  });

  it('measures the largest overhang over all layers', () => {
    expect(maxOverhang(layers, layerReceptiveFields(layers), image)).toBe(1);
  });
});
