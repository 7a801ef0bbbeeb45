import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { layerGraph } from '@/lib/models/graph';
import { type ModelJson, parseModelJson } from '@/lib/models/model-json';
import { PACKS } from '@/lib/models/packs';
import { TopologyError, topologyGraph } from '@/lib/models/topology';
import { modelPaths } from '@/server/models/paths';
import { randomArchitecture } from './helpers/random-architectures';
import { tf, useWasm } from './helpers/tf-wasm';

beforeAll(async () => {
  await useWasm();
});

/** model.json as tf.js writes it for a built model (no weights needed for the topology). */
async function modelJsonOf(model: tf.LayersModel): Promise<ModelJson> {
  let json: ModelJson | undefined;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      json = parseModelJson(
        JSON.stringify({
          format: 'layers-model',
          modelTopology: artifacts.modelTopology,
          weightsManifest: [{ paths: ['w.bin'], weights: artifacts.weightSpecs }],
        }),
      );
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  return json!;
}

function sameGraph(modelJson: ModelJson, model: tf.LayersModel): void {
  const built = layerGraph(model);
  const { layers, output } = topologyGraph(modelJson);
  const byName = (list: typeof built) => new Map(list.map((l) => [l.name, l]));
  expect(byName(layers)).toEqual(byName(built));
  expect(layers[0].kind).toBe('input');
  expect(output.name).toBe(model.outputs[0].sourceLayer.name);
}

describe('topologyGraph: the layer graph from model.json alone', () => {
  it('equals the built model graph on 40 seeded random architectures', async () => {
    for (let seed = 1; seed <= 40; seed++) {
      const { model } = randomArchitecture(tf, seed, seed % 2 === 0);
      sameGraph(await modelJsonOf(model), model);
      model.dispose();
    }
  });

  it('equals the built model graph for the built-in model and every pack present', async () => {
    const { packsDir, builtinDir } = modelPaths();
    const folders = [
      join(builtinDir, 'mnist-cnn'),
      ...PACKS.map((pack) => join(packsDir, pack.directory)).filter((dir) => existsSync(dir)),
    ];
    if (folders.length === 1) console.warn('../shared/packs is absent: only the built-in model is compared');
    for (const folder of folders) {
      const modelJson = parseModelJson(readFileSync(join(folder, 'model.json'), 'utf8'));
      // Built from the topology alone (random weights): the graph does not depend on them.
      const model = await tf.models.modelFromJSON(
        modelJson.modelTopology as tf.io.ModelJSON['modelTopology'],
      );
      sameGraph(modelJson, model);
      model.dispose();
    }
  });

  it('names the layer it cannot measure, and refuses graphs it cannot order', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ name: 'c', inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }),
        tf.layers.upSampling2d({ name: 'up', size: [2, 2] }),
      ],
    });
    const json = await modelJsonOf(model);
    model.dispose();
    expect(() => topologyGraph(json)).toThrow(TopologyError);
    expect(() => topologyGraph(json)).toThrow(/layer up \(UpSampling2D\)/);

    const cyclic = {
      ...json,
      modelTopology: {
        class_name: 'Model',
        config: {
          layers: [
            { name: 'in', class_name: 'InputLayer', config: { batch_input_shape: [null, 4, 4, 1] } },
            { name: 'a', class_name: 'ReLU', config: {}, inbound_nodes: [[['b', 0, 0, {}]]] },
            { name: 'b', class_name: 'ReLU', config: {}, inbound_nodes: [[['a', 0, 0, {}]]] },
          ],
        },
      },
    } as ModelJson;
    expect(() => topologyGraph(cyclic)).toThrow(/cycle/);
  });

  it('refuses a variable-size input and a layer whose output would be empty', () => {
    const sequential = (shape: (number | null)[], kernel: number) =>
      ({
        modelTopology: {
          class_name: 'Sequential',
          config: {
            name: 's',
            layers: [
              {
                class_name: 'Conv2D',
                config: { name: 'c', batch_input_shape: shape, filters: 2, kernel_size: [kernel, kernel] },
              },
            ],
          },
        },
        weightsManifest: [{ paths: ['w.bin'], weights: [] }],
      }) as unknown as ModelJson;
    expect(() => topologyGraph(sequential([null, null, null, 3], 3))).toThrow(/fixed shape/);
    expect(() => topologyGraph(sequential([null, 4, 4, 3], 5))).toThrow(/layer c \(Conv2D\) would output/);
    expect(topologyGraph(sequential([null, 4, 4, 3], 3)).output.outputShape).toEqual([2, 2, 2]);
  });
});
