// The network feature visualisation differentiates (batch norm folded, convolutions unfused, 1×1 convolutions
// as matrix products) must compute what the model computes, layer by layer.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '@/lib/models/types';
import { differentiableNetwork } from '@/lib/viz/feature-vis/network';
import { loadServerModel } from '@/server/models/load';
import { failOnTensorLeaks, hasPacks, tf, useBackend } from './helpers';
import { loadPackModel } from './packs';

/**
 * Every layer's output through the rebuilt network, all at once (nothing folded), then the batch norms and the
 * last layer only (every convolution before a batch norm folded into it), against the model's own outputs:
 * the largest |difference| relative to the layer's largest |value|.
 */
function expectSameAsModel(loaded: LoadedModel): void {
  const { height, width, channels } = loaded.manifest.inputSize;
  const layers = loaded.layers.filter((l) => l.kind !== 'input').map((l) => l.name);
  const reference = tf.model({
    inputs: loaded.model.inputs,
    outputs: layers.map((name) => loaded.model.getLayer(name).output as tf.SymbolicTensor),
  });
  tf.tidy(() => {
    const input = tf.randomUniform([1, height, width, channels], -1, 1, 'float32', 5) as tf.Tensor4D;
    const expected = reference.predict(input) as tf.Tensor[];
    const check = (outputs: readonly string[]) => {
      const network = differentiableNetwork(tf, loaded, outputs);
      try {
        const values = network.run(input);
        for (const name of outputs) {
          const want = expected[layers.indexOf(name)];
          const scale = Math.max(1e-6, tf.max(tf.abs(want)).dataSync()[0]);
          const error = tf.max(tf.abs(tf.sub(values.get(name)!, want))).dataSync()[0] / scale;
          expect(error, name).toBeLessThan(1e-4);
        }
      } finally {
        network.dispose();
      }
    };
    check(layers);
    const norms = loaded.layers.filter((l) => l.className === 'BatchNormalization').map((l) => l.name);
    check([...norms, layers[layers.length - 1]]);
  });
}

describe('the differentiable network equals the model', () => {
  failOnTensorLeaks();
  beforeAll(() => useBackend('wasm'));

  it('on the built-in model', async () => {
    const loaded = await loadServerModel(tf, 'mnist-cnn');
    try {
      expectSameAsModel(loaded);
    } finally {
      loaded.dispose();
    }
  });

  it.skipIf(!hasPacks).each(['mobilenet-v1-0.25', 'squeezenet-1.0', 'darknet-tiny', 'tinyvgg'])(
    'on %s',
    async (id) => {
      const loaded = await loadPackModel(id);
      try {
        expectSameAsModel(loaded);
      } finally {
        loaded.dispose();
      }
    },
  );
});
