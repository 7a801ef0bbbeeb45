import { beforeAll, describe, expect, it } from 'vitest';
import { layerGraph } from '@/lib/models/graph';
import { tf, useWasm } from './helpers/tf-wasm';

beforeAll(async () => {
  await useWasm();
});

describe('layerGraph', () => {
  it('lists a Sequential model from its input, with kinds, shapes and inbound layers', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c1', inputShape: [10, 12, 1], filters: 4, kernelSize: 4, padding: 'same' }),
        tf.layers.batchNormalization({ name: 'bn' }),
        tf.layers.maxPooling2d({ name: 'p1', poolSize: 2 }),
        tf.layers.flatten({ name: 'f' }),
        tf.layers.dense({ name: 'd', units: 3 }),
      ],
    });
    const layers = layerGraph(model);
    expect(layers.map((l) => [l.name, l.kind, l.className, l.outputShape, l.inbound])).toEqual([
      ['c1_input', 'input', 'InputLayer', [10, 12, 1], []],
      ['c1', 'conv2d', 'Conv2D', [10, 12, 4], ['c1_input']],
      ['bn', 'pointwise', 'BatchNormalization', [10, 12, 4], ['c1']],
      ['p1', 'max-pool', 'MaxPooling2D', [5, 6, 4], ['bn']],
      ['f', 'flatten', 'Flatten', [120], ['p1']],
      ['d', 'dense', 'Dense', [3], ['f']],
    ]);
    // 'same' with a 4-wide kernel pads 3: one before, two after (TF's convention).
    expect(layers[1].geometry).toEqual({
      kernel: [4, 4],
      stride: [1, 1],
      dilation: [1, 1],
      padBefore: [1, 1],
    });
    expect(layers[3].geometry).toEqual({
      kernel: [2, 2],
      stride: [2, 2],
      dilation: [1, 1],
      padBefore: [0, 0],
    });
    model.dispose();
  });

  it('keeps branch order for merges and reads padding and cropping', () => {
    const input = tf.input({ shape: [9, 9, 2], name: 'image' });
    const padded = tf.layers
      .zeroPadding2d({
        name: 'pad',
        padding: [
          [1, 2],
          [0, 3],
        ],
      })
      .apply(input) as tf.SymbolicTensor;
    const cropped = tf.layers
      .cropping2D({
        name: 'crop',
        cropping: [
          [2, 1],
          [1, 2],
        ],
      })
      .apply(padded) as tf.SymbolicTensor;
    const a = tf.layers.conv2d({ name: 'a', filters: 2, kernelSize: 1 }).apply(cropped) as tf.SymbolicTensor;
    const b = tf.layers
      .separableConv2d({ name: 'b', filters: 3, kernelSize: 3, padding: 'same', strides: 1 })
      .apply(cropped) as tf.SymbolicTensor;
    const merged = tf.layers.concatenate({ name: 'cat' }).apply([b, a]) as tf.SymbolicTensor;
    const pooled = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(merged) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: pooled });
    const byName = new Map(layerGraph(model).map((l) => [l.name, l]));
    expect(byName.get('pad')).toMatchObject({
      kind: 'zero-padding',
      outputShape: [12, 12, 2],
      geometry: { padBefore: [1, 0] },
    });
    expect(byName.get('crop')).toMatchObject({
      kind: 'cropping',
      outputShape: [9, 9, 2],
      geometry: { padBefore: [-2, -1] },
    });
    expect(byName.get('b')).toMatchObject({
      kind: 'separable-conv2d',
      geometry: { kernel: [3, 3], padBefore: [1, 1] },
    });
    expect(byName.get('cat')).toMatchObject({
      kind: 'concatenate',
      inbound: ['b', 'a'],
      outputShape: [9, 9, 5],
    });
    expect(byName.get('gap')).toMatchObject({ kind: 'global-pool', outputShape: [5] });
    model.dispose();
  });

  it('describes a dilated DepthwiseConv2D as tf.js runs it: undilated', () => {
    const input = tf.input({ shape: [20, 16, 2] });
    const dilated = tf.layers
      .depthwiseConv2d({ name: 'dw', kernelSize: 3, dilationRate: 3, padding: 'valid' })
      .apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: dilated });
    const output = model.predict(tf.zeros([1, 20, 16, 2])) as tf.Tensor;
    expect(output.shape).toEqual([1, 18, 14, 2]); // a 3×3 window, not 7×7
    const layer = layerGraph(model).find((l) => l.name === 'dw')!;
    expect(layer.outputShape).toEqual([18, 14, 2]);
    expect(layer.geometry).toEqual({ kernel: [3, 3], stride: [1, 1], dilation: [1, 1], padBefore: [0, 0] });
    output.dispose();
    model.dispose();
  });

  it('keeps the dilation of Conv2D and SeparableConv2D', () => {
    const input = tf.input({ shape: [20, 16, 2] });
    const conv = tf.layers
      .conv2d({ name: 'c', filters: 2, kernelSize: 3, dilationRate: [2, 3] })
      .apply(input) as tf.SymbolicTensor;
    const separable = tf.layers
      .separableConv2d({ name: 's', filters: 2, kernelSize: 3, dilationRate: 2, padding: 'same' })
      .apply(conv) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: separable });
    const output = model.predict(tf.zeros([1, 20, 16, 2])) as tf.Tensor;
    const layers = layerGraph(model);
    expect(layers.find((l) => l.name === 'c')).toMatchObject({
      outputShape: [16, 10, 2],
      geometry: { dilation: [2, 3] },
    });
    expect(layers.find((l) => l.name === 's')).toMatchObject({
      outputShape: [16, 10, 2],
      geometry: { dilation: [2, 2], padBefore: [2, 2] },
    });
    expect(output.shape).toEqual([1, 16, 10, 2]);
    output.dispose();
    model.dispose();
  });

  it('refuses channels_first layers', () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [1, 8, 8], filters: 2, kernelSize: 3, dataFormat: 'channelsFirst' }),
      ],
    });
    expect(() => layerGraph(model)).toThrow(/uses channels_first; only channels_last models are supported/);
    model.dispose();
  });
});
