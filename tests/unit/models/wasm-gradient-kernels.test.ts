import { beforeAll, describe, expect, it } from 'vitest';
import { tf, useWasm } from './helpers/tf-wasm';

// The composite wasm kernels must give the same gradients as the cpu backend's native ones.
interface Case {
  input: [number, number, number, number];
  kernel: [number, number];
  outChannels: number;
  strides: [number, number];
  pad: 'same' | 'valid';
}

const CASES: Case[] = [
  { input: [2, 9, 8, 3], kernel: [3, 3], outChannels: 4, strides: [1, 1], pad: 'same' },
  { input: [3, 11, 10, 2], kernel: [5, 3], outChannels: 5, strides: [2, 3], pad: 'same' },
  { input: [1, 12, 12, 4], kernel: [3, 2], outChannels: 2, strides: [2, 2], pad: 'valid' },
  { input: [2, 10, 9, 3], kernel: [4, 4], outChannels: 6, strides: [3, 3], pad: 'same' },
  { input: [2, 13, 12, 2], kernel: [2, 3], outChannels: 4, strides: [2, 1], pad: 'valid' },
  { input: [1, 224 / 8, 224 / 8, 5], kernel: [3, 3], outChannels: 5, strides: [2, 2], pad: 'same' },
  // More than 4 input channels: Conv2DBackpropInput runs the composite (up to 4, the backend's own kernel).
  { input: [2, 9, 8, 6], kernel: [3, 3], outChannels: 4, strides: [2, 2], pad: 'same' },
  { input: [1, 10, 11, 8], kernel: [1, 1], outChannels: 5, strides: [1, 1], pad: 'valid' },
];

function randomTensor(shape: number[], seed: number): tf.Tensor {
  return tf.randomUniform(shape, -1, 1, 'float32', seed);
}

function gradients(c: Case, seed: number): { conv: Float32Array[]; depthwise: Float32Array[] } {
  return tf.tidy(() => {
    const x = randomTensor(c.input, seed) as tf.Tensor4D;
    const convFilter = randomTensor([...c.kernel, c.input[3], c.outChannels], seed + 1) as tf.Tensor4D;
    const multiplier = (c.outChannels % 2) + 1;
    const depthFilter = randomTensor([...c.kernel, c.input[3], multiplier], seed + 2) as tf.Tensor4D;
    // tf.js has no gradients for dilated convolutions at all, so strides and padding are what vary here.
    const conv = tf.grads((input: tf.Tensor, filter: tf.Tensor) =>
      tf.sum(tf.square(tf.conv2d(input as tf.Tensor4D, filter as tf.Tensor4D, c.strides, c.pad))),
    )([x, convFilter]);
    const depthwise = tf.grad((input: tf.Tensor) =>
      tf.sum(tf.square(tf.depthwiseConv2d(input as tf.Tensor4D, depthFilter, c.strides, c.pad))),
    )(x);
    return {
      conv: conv.map((g) => g.dataSync() as Float32Array),
      depthwise: [depthwise.dataSync() as Float32Array],
    };
  });
}

function expectClose(actual: Float32Array, expected: Float32Array): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
  }
  expect(worst).toBeLessThan(1e-4);
}

describe('wasm gradient kernels', () => {
  beforeAll(async () => {
    await useWasm();
  });

  it.each(CASES.map((c, i) => [i, c] as const))('case %i matches the cpu backend', async (i, c) => {
    await tf.setBackend('cpu');
    const reference = gradients(c, 100 + i);
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    const actual = gradients(c, 100 + i);
    expect(tf.memory().numTensors).toBe(before);
    for (const [k, expected] of reference.conv.entries()) expectClose(actual.conv[k], expected);
    expectClose(actual.depthwise[0], reference.depthwise[0]);
  });
});
