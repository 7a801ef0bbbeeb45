// The real ImageNet packs in CONVLENS_PACKS_DIR: manifests, classification, graph, and receptive fields
// against the empirical field. Skipped (with a message) where the packs are absent.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PACKS } from '@/lib/models/packs';
import type { Box, LoadedModel } from '@/lib/models/types';
import { layerReceptiveFields, neuronReceptiveField } from '@/lib/viz/receptive-field';
import { TINY_IMAGENET_CLASSES } from '@/server/catalog/image-labels';
import { imageToInputTensor } from '@/server/images/decode';
import { loadServerModel } from '@/server/models/load';
import { modelPaths } from '@/server/models/paths';
import { empiricalBoxes, linearisedClone } from './helpers/empirical-rf';
import { tf, useWasm } from './helpers/tf-wasm';

const packsDir = modelPaths().packsDir;
const packsPresent = existsSync(join(packsDir, 'models'));
if (!packsPresent)
  console.warn(`packs not found at ${packsDir} (set CONVLENS_PACKS_DIR): pack tests skipped`);

const pomeranian = join(packsDir, 'images/test-images/dog_pomeranian.JPEG');

async function top(
  loaded: LoadedModel,
  image: string,
  k: number,
): Promise<{ label: string; prob: number }[]> {
  const input = await imageToInputTensor(tf, image, loaded.manifest);
  const probabilities = tf.tidy(() => {
    const output = tf.reshape(loaded.model.predict(input) as tf.Tensor, [-1]);
    return loaded.manifest.output === 'logits' ? tf.softmax(output) : output;
  });
  const values = Array.from(await probabilities.data());
  tf.dispose([input, probabilities]);
  return values
    .map((prob, index) => ({ label: loaded.manifest.labels[index], prob }))
    .sort((a, b) => b.prob - a.prob)
    .slice(0, k);
}

describe.skipIf(!packsPresent)('ImageNet packs', () => {
  beforeAll(async () => {
    await useWasm();
  });

  it('MobileNet v1 0.75 calls the Pomeranian a Pomeranian (~89%)', async () => {
    const loaded = await loadServerModel(tf, 'mobilenet-v1-0.75');
    const [best, second] = await top(loaded, pomeranian, 2);
    expect(best.label).toBe('Pomeranian');
    expect(best.prob).toBeGreaterThan(0.85);
    expect(best.prob).toBeLessThan(0.95);
    expect(second.label).toMatch(/^Pekinese/);
    loaded.dispose();
  });

  it.each([
    ['mobilenet-v1-0.25', 0.4],
    ['squeezenet-1.0', 0.4],
    ['darknet-tiny', 0.4],
  ])('%s: Pomeranian is top-1 (> %s)', async (id, floor) => {
    const loaded = await loadServerModel(tf, id);
    const [best] = await top(loaded, pomeranian, 1);
    expect(best.label).toBe('Pomeranian');
    expect(best.prob).toBeGreaterThan(floor);
    loaded.dispose();
  });

  it('TinyVGG gets most of its 20 class images right', async () => {
    const loaded = await loadServerModel(tf, 'tinyvgg');
    let correct = 0;
    for (const [prefix, label] of Object.entries(TINY_IMAGENET_CLASSES)) {
      for (let i = 1; i <= 5; i++) {
        const file = join(packsDir, `images/cnn-explainer-tiny-imagenet/${prefix}_${i}.jpeg`);
        if (!existsSync(file)) continue;
        const [best] = await top(loaded, file, 1);
        if (best.label === label) correct++;
      }
    }
    expect(correct).toBeGreaterThanOrEqual(13); // 14/20 reported in the pack's SOURCE.md
    loaded.dispose();
  });

  it('describes every pack: labels, layer kinds, first conv geometry', async () => {
    const expected: Record<string, { layers: number; firstConv: [string, number, number]; kinds: string[] }> =
      {
        'squeezenet-1.0': {
          layers: 42,
          firstConv: ['conv1', 7, 2],
          kinds: ['concatenate', 'zero-padding', 'max-pool', 'global-pool'],
        },
        'mobilenet-v1-0.75': {
          layers: 88,
          firstConv: ['conv1', 3, 2],
          kinds: ['depthwise-conv2d', 'reshape', 'global-pool'],
        },
        'mobilenet-v1-0.25': {
          layers: 88,
          firstConv: ['conv1', 3, 2],
          kinds: ['depthwise-conv2d', 'reshape'],
        },
        'darknet-tiny': {
          layers: 52,
          firstConv: ['conv2d_1', 3, 1],
          kinds: ['max-pool', 'pointwise', 'global-pool'],
        },
        tinyvgg: { layers: 13, firstConv: ['conv_1_1', 3, 1], kinds: ['max-pool', 'flatten', 'dense'] },
      };
    for (const pack of PACKS) {
      const loaded = await loadServerModel(tf, pack.manifest.id);
      const facts = expected[pack.manifest.id];
      expect(loaded.layers.length, pack.manifest.id).toBe(facts.layers);
      expect(loaded.origin?.kind).toBe('pack');
      const conv = loaded.layers.find((layer) => layer.kind === 'conv2d')!;
      expect([conv.name, conv.geometry?.kernel[0], conv.geometry?.stride[0]]).toEqual(facts.firstConv);
      const kinds = new Set(loaded.layers.map((layer) => layer.kind));
      for (const kind of facts.kinds)
        expect(kinds.has(kind as never), `${pack.manifest.id} has ${kind}`).toBe(true);
      expect(kinds.has('other'), `${pack.manifest.id}: every layer is known`).toBe(false);
      expect(loaded.manifest.labels.length).toBe(pack.manifest.id === 'tinyvgg' ? 10 : 1000);
      loaded.dispose();
    }
  });

  it('gives the classic receptive fields: SqueezeNet conv1 7×7/2, MobileNet 0.75 last conv', async () => {
    const squeeze = await loadServerModel(tf, 'squeezenet-1.0');
    const squeezeFields = layerReceptiveFields(squeeze.layers);
    expect(squeezeFields.get('conv1')).toEqual({ size: [7, 7], jump: [2, 2], start: [0, 0] });
    expect(squeezeFields.get('pool1')).toEqual({ size: [11, 11], jump: [4, 4], start: [0, 0] });
    squeeze.dispose();
    const mobile = await loadServerModel(tf, 'mobilenet-v1-0.75');
    const fields = layerReceptiveFields(mobile.layers);
    // TF 'same' with stride 2 on an even size pads only after: conv1 starts at 0.
    expect(fields.get('conv1')).toEqual({ size: [3, 3], jump: [2, 2], start: [0, 0] });
    expect(fields.get('conv_pw_13')?.jump).toEqual([32, 32]);
    expect(fields.get('conv_pw_13')?.size).toEqual([315, 315]); // the published value (Araujo et al., Distill 2019)
    expect(neuronReceptiveField(mobile.layers, { layer: 'conv_pw_13', y: 3, x: 3 }).clipped).toEqual([
      0, 0, 224, 224,
    ]);
    mobile.dispose();
  });
});

function isEmpty(box: Box): boolean {
  return box[2] <= box[0] || box[3] <= box[1];
}

/** Equal boxes, or both empty (a position that sees only zero padding). */
function sameBox(a: Box, b: Box): boolean {
  return (isEmpty(a) && isEmpty(b)) || a.join() === b.join();
}

/** Sliding-window and merge layers spread through the network, plus the last spatial and the output layer. */
function sampleLayers(loaded: LoadedModel, count: number): string[] {
  const candidates = loaded.layers.filter((layer) => layer.geometry || layer.kind === 'concatenate');
  const picked = new Set<string>();
  for (let i = 0; i < count; i++)
    picked.add(candidates[Math.round((i * (candidates.length - 1)) / (count - 1))].name);
  const spatial = loaded.layers.filter((layer) => layer.outputShape.length === 3);
  picked.add(spatial[spatial.length - 1].name);
  picked.add(loaded.layers[loaded.layers.length - 1].name);
  return [...picked];
}

describe.skipIf(!packsPresent)('pack receptive fields match the empirical field', () => {
  beforeAll(async () => {
    await useWasm();
  });

  it.each([
    ['tinyvgg', 8],
    ['squeezenet-1.0', 10],
    ['mobilenet-v1-0.75', 10],
    ['darknet-tiny', 10],
  ])('%s', async (id, count) => {
    const loaded = await loadServerModel(tf, id);
    const clone = await linearisedClone(tf, loaded.model, 7, { channels: 2 });
    const fields = layerReceptiveFields(loaded.layers);
    const [height, width] = loaded.layers[0].outputShape;
    const problems: string[] = [];
    for (const name of sampleLayers(loaded, count)) {
      const layer = loaded.layers.find((l) => l.name === name)!;
      const [h, w] = layer.outputShape.length === 3 ? layer.outputShape : [1, 1];
      const neurons: [number, number][] = [
        [0, 0],
        [h - 1, w - 1],
        [Math.floor(h / 2), Math.floor(w / 3)],
      ];
      const measured = empiricalBoxes(tf, clone, name, neurons);
      neurons.forEach(([y, x], i) => {
        const { box, clipped } = neuronReceptiveField(loaded.layers, { layer: name, y, x }, fields);
        const inside = box[0] >= 0 && box[1] >= 0 && box[2] <= height && box[3] <= width;
        if (!sameBox(measured[i], clipped))
          problems.push(`${name} (${y}, ${x}): empirical [${measured[i]}] vs [${clipped}]`);
        if (inside && box.join() !== clipped.join())
          problems.push(`${name} (${y}, ${x}): box [${box}] inside but clipped [${clipped}]`);
      });
    }
    expect(problems).toEqual([]);
    clone.dispose();
    loaded.dispose();
  });
});
