import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoadedModel } from '@/lib/models/types';
import { decodeResult, encodeResult } from '@/lib/protocol/codec';
import { type ActivationAtlas, buildAtlas, queryAtlas, spatialLayers } from '@/lib/viz/atlas';
import { layerReceptiveFieldOf, type SourceImage, topActivating } from '@/lib/viz/top-activating';
import { ChannelTopK, TopK } from '@/lib/viz/top-k';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { loadServerModel } from '@/server/models/load';
import { PROJECT_ROOT } from '@/server/models/paths';
import { failOnTensorLeaks, hasPacks, tf, useBackend } from './helpers';

const noBox = () => ({
  box: [0, 0, 0, 0] as [number, number, number, number],
  clippedBox: [0, 0, 0, 0] as [number, number, number, number],
});

/** The atlas must rank exactly as topActivating does, layer by layer, with the same receptive fields. */
async function expectSameAsPlain(
  loaded: LoadedModel,
  images: () => AsyncIterable<SourceImage> | Iterable<SourceImage>,
  atlas: ActivationAtlas,
  layers: readonly string[],
  k: number,
): Promise<void> {
  for (const layer of layers) {
    const fields = layerReceptiveFieldOf(loaded, layer);
    const plain = await topActivating(tf, loaded, images(), {
      receptiveFieldOf: fields,
      layer,
      k,
      batchSize: 5,
    });
    expect(queryAtlas(atlas, { layer, k }, fields)).toEqual(plain);
  }
}

describe('activation atlas', () => {
  failOnTensorLeaks();
  let loaded: LoadedModel;
  let files: string[];
  beforeAll(async () => {
    await useBackend('wasm');
    loaded = await loadServerModel(tf, 'mnist-cnn');
    files = imageFilesIn(path.join(PROJECT_ROOT, 'public/images/mnist')).slice(0, 48);
  });
  afterAll(() => loaded.dispose());

  it('ranks every spatial layer as topActivating does, layer by layer, from one pass', async () => {
    const layers = spatialLayers(loaded);
    expect(layers.length).toBeGreaterThan(3);
    const progress: number[] = [];
    const atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
      k: 9,
      batchSize: 7,
      total: files.length,
      onProgress: ({ done }) => progress.push(done),
    });
    expect(atlas.imagesSeen).toBe(48);
    expect(progress.at(-1)).toBe(48);
    expect(atlas.layers.map((l) => l.name)).toEqual(layers);
    await expectSameAsPlain(loaded, () => decodeFilesAhead(files, loaded.manifest), atlas, layers, 9);
    // A smaller k and a subset of channels read the first entries.
    const layer = layers[1];
    const fields = layerReceptiveFieldOf(loaded, layer);
    const some = queryAtlas(atlas, { layer, channels: [3, 0], k: 4 }, fields);
    const all = queryAtlas(atlas, { layer }, fields);
    expect(some.channels.map((c) => c.channel)).toEqual([3, 0]);
    expect(some.channels[0].top).toEqual(all.channels[3].top.slice(0, 4));
  });

  it('keeps only the images some channel holds, and survives its binary encoding', async () => {
    const atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
      k: 2,
      batchSize: 16,
    });
    const held = new Set(atlas.layers.flatMap((l) => Array.from(l.image).filter((i) => i >= 0)));
    expect(held.size).toBe(atlas.imageIds.length);
    expect(atlas.imageIds.length).toBeLessThan(48);
    const back = decodeResult<ActivationAtlas>(encodeResult(atlas));
    const layer = atlas.layers[0].name;
    expect(queryAtlas(back, { layer }, noBox)).toEqual(queryAtlas(atlas, { layer }, noBox));
  });

  it('builds the same atlas in short steps, each resuming the last', async () => {
    const whole = await buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
      k: 4,
      batchSize: 5,
    });
    let atlas: ActivationAtlas | undefined;
    let steps = 0;
    while ((atlas?.imagesSeen ?? 0) < files.length) {
      const from = atlas?.imagesSeen ?? 0;
      // stopAfterMs 0: one batch per step.
      atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files.slice(from), loaded.manifest), {
        k: 4,
        batchSize: 5,
        resume: atlas,
        stopAfterMs: 0,
      });
      expect(atlas.imagesSeen).toBe(Math.min(from + 5, files.length));
      steps++;
    }
    expect(steps).toBe(Math.ceil(files.length / 5));
    expect(atlas).toEqual(whole);
    await expect(
      buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), { k: 3, resume: whole }),
    ).rejects.toThrow(/cannot resume an atlas of k 4 with k 3/);
  });

  it('refuses what it cannot answer', async () => {
    const atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files.slice(0, 5), loaded.manifest), {
      k: 3,
    });
    const layer = atlas.layers[0].name;
    expect(() => queryAtlas(atlas, { layer: 'nope' }, noBox)).toThrow(/no layer "nope"/);
    expect(() => queryAtlas(atlas, { layer, k: 4 }, noBox)).toThrow(/k must be in 1..3/);
    expect(() => queryAtlas(atlas, { layer, channels: [9999] }, noBox)).toThrow(/outside/);
    await expect(
      buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), { k: 3, layers: ['dense_nope'] }),
    ).rejects.toThrow(/no spatial output/);
    const aborted = new AbortController();
    aborted.abort();
    await expect(
      buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), { k: 3, signal: aborted.signal }),
    ).rejects.toThrow();
  });

  it('ranks its typed heaps as TopK does', () => {
    const values = [5, 1, 9, 7, 9, 3, Number.NaN, 8, 5, 9];
    const plain = new TopK<{ value: number; order: number }>(4);
    const heaps = new ChannelTopK(2, 4);
    values.forEach((value, order) => {
      plain.push({ value, order });
      heaps.push(1, value, order, order * 10);
    });
    const slots = heaps.sorted(1);
    expect(slots.map((s) => [heaps.value[s], heaps.order[s], heaps.position[s]])).toEqual(
      plain.sorted().map((e) => [e.value, e.order, e.order * 10]),
    );
    expect(heaps.size[0]).toBe(0);
  });

  it.skipIf(!hasPacks)('ranks a pack model as topActivating does', async () => {
    const { loadPackModel, testImage } = await import('./packs');
    const { decodeForModel } = await import('@/server/images/decode');
    const pack = await loadPackModel('mobilenet-v1-0.25');
    const photos = [
      'dog_pomeranian.JPEG',
      'cat_tabby.JPEG',
      'ml5_bird.jpg',
      'ml5_kitten.jpg',
      'tfjs-models_mobilenet_coffee.jpg',
    ];
    const images = await Promise.all(
      photos.map(async (f) => ({ id: f, pixels: await decodeForModel(testImage(f), pack.manifest) })),
    );
    const layers = ['conv1', 'conv1_bn', 'conv_dw_2_relu', 'conv_pw_5', 'conv_pw_13_relu'];
    const atlas = await buildAtlas(tf, pack, images, { k: 3, layers, batchSize: 2 });
    await expectSameAsPlain(pack, () => images, atlas, layers, 3);
    pack.dispose();
  });

  it.skipIf(!hasPacks)(
    'takes a channel concatenation from its inputs (SqueezeNet fire modules)',
    async () => {
      const { loadPackModel, testImage } = await import('./packs');
      const { decodeForModel } = await import('@/server/images/decode');
      const pack = await loadPackModel('squeezenet-1.0');
      const photos = ['dog_pomeranian.JPEG', 'cat_tabby.JPEG', 'ml5_bird.jpg', 'ml5_kitten.jpg'];
      const images = await Promise.all(
        photos.map(async (f) => ({ id: f, pixels: await decodeForModel(testImage(f), pack.manifest) })),
      );
      // With its inputs ranked, fire2_concat is assembled from them; fire3_concat alone is ranked itself.
      const layers = ['fire2_expand1x1', 'fire2_expand3x3', 'fire2_concat', 'fire3_concat'];
      const atlas = await buildAtlas(tf, pack, images, { k: 3, layers, batchSize: 3 });
      await expectSameAsPlain(pack, () => images, atlas, layers, 3);
      pack.dispose();
    },
  );
});

describe('atlas CLI', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'atlas-cli-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));
  const cli = async (...args: string[]) => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'cli/index.ts', ...args, '--json'],
      {
        cwd: PROJECT_ROOT,
        env: { ...process.env, CONVLENS_BACKEND: 'wasm' },
        maxBuffer: 16 * 2 ** 20,
      },
    );
    return JSON.parse(stdout);
  };

  it('builds an atlas, writes it, and answers a layer from the file as top does', async () => {
    const file = path.join(out, 'mnist.atlas');
    const digits = path.join(PROJECT_ROOT, 'public/images/mnist');
    const built = await cli('atlas', '--images', digits, '--limit', '12', '--k', '3', '--out', file);
    expect(built).toMatchObject({ k: 3, imagesSeen: 12 });
    expect(built.layers.map((l: { name: string }) => l.name)).toEqual([
      'conv1',
      'pool1',
      'conv2',
      'pool2',
      'conv3',
    ]);
    const fromFile = await cli('atlas', '--from', file, '--layer', 'conv2', '--channels', '0,3');
    const top = await cli(
      'top',
      '--layer',
      'conv2',
      '--images',
      digits,
      '--limit',
      '12',
      '--channels',
      '0,3',
      '--k',
      '3',
    );
    expect(fromFile).toEqual(top);
  });
});
