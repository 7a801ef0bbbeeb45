// Model sources: built-in, pack, directory (with or without manifest.json), https URL (downloaded once
// into a cache), the browser's HTTP loader, and the file-system handler's save/load round trip.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '@/lib/models/load';
import { decodeForModel } from '@/server/images/decode';
import { listModels } from '@/server/models/catalog';
import { checkDownloadUrl } from '@/server/models/download';
import { fileSystemHandler } from '@/server/models/fs-handler';
import { loadServerModel, resolveModelSource } from '@/server/models/load';
import { modelPaths, PROJECT_ROOT } from '@/server/models/paths';
import { tf, useWasm } from './helpers/tf-wasm';

const packsDir = modelPaths().packsDir;
const tinyvggDir = join(packsDir, 'models/tinyvgg-cnn-explainer');
const packsPresent = existsSync(tinyvggDir);
const builtinDir = join(PROJECT_ROOT, 'public/models/mnist-cnn');
const scratch = mkdtempSync(join(tmpdir(), 'convlens-models-'));

/** A static file server on 127.0.0.1 for `root`. */
function serve(root: string): Promise<{ server: Server; origin: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname));
    requests.push(path);
    const file = join(root, path);
    if (!file.startsWith(root) || !existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200).end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, origin: `http://127.0.0.1:${port}`, requests });
    }),
  );
}

beforeAll(async () => {
  await useWasm();
});

afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('the built-in model', () => {
  it('loads by id and reads the held-out digits as well as its manifest says', async () => {
    const loaded = await loadServerModel(tf, 'mnist-cnn');
    expect(loaded.origin?.kind).toBe('builtin');
    expect(loaded.manifest.labels).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(loaded.manifest.accuracy?.value).toBeGreaterThan(0.97);
    const first = loaded.layers.find((layer) => layer.kind === 'conv2d')!;
    expect(first.geometry?.kernel).toEqual([5, 5]);
    expect(first.outputShape[2]).toBeGreaterThanOrEqual(16);

    const index = JSON.parse(readFileSync(join(PROJECT_ROOT, 'public/images/mnist/index.json'), 'utf8')) as {
      images: { file: string; label: string }[];
    };
    expect(index.images).toHaveLength(200);
    const before = tf.memory().numTensors;
    let correct = 0;
    for (const image of index.images) {
      const pixels = await decodeForModel(
        join(PROJECT_ROOT, 'public/images/mnist', image.file),
        loaded.manifest,
      );
      const predicted = tf.tidy(() => {
        const input = tf.div(tf.tensor4d(Float32Array.from(pixels.data), [1, 28, 28, 1]), 255);
        return (loaded.model.predict(input) as tf.Tensor).argMax(1).dataSync()[0];
      });
      if (String(predicted) === image.label) correct++;
    }
    expect(tf.memory().numTensors).toBe(before);
    expect(correct / index.images.length).toBeGreaterThan(0.95);
    loaded.dispose();
  });

  it('is small: weights well under 1 MB', () => {
    expect(readFileSync(join(builtinDir, 'weights.bin')).byteLength).toBeLessThan(300_000);
  });

  it('is listed with the packs, each marked available or not', async () => {
    const models = await listModels();
    expect(models[0]).toMatchObject({ id: 'mnist-cnn', kind: 'builtin', available: true });
    expect(models.filter((m) => m.kind === 'pack').map((m) => m.id)).toEqual([
      'squeezenet-1.0',
      'mobilenet-v1-0.75',
      'mobilenet-v1-0.25',
      'darknet-tiny',
      'tinyvgg',
    ]);
    const missing = await listModels({ paths: { packsDir: join(scratch, 'no-packs') } });
    expect(missing.filter((m) => m.kind === 'pack').every((m) => !m.available)).toBe(true);
    await expect(
      resolveModelSource('tinyvgg', { paths: { packsDir: join(scratch, 'no-packs') } }),
    ).rejects.toThrow(/model tinyvgg is a pack, but .* has no model\.json \(set CONVLENS_PACKS_DIR/);
  });
});

describe('directories', () => {
  it('uses manifest.json beside model.json, whichever file or folder is named', async () => {
    for (const path of [builtinDir, join(builtinDir, 'manifest.json')]) {
      const source = await resolveModelSource(path);
      expect(source.manifest.id).toBe('mnist-cnn');
      expect(source.origin).toEqual({ kind: 'directory', location: builtinDir });
    }
  });

  it.skipIf(!packsPresent)('infers the manifest of a known pack folder, or a generic one', async () => {
    const asPack = await loadServerModel(tf, tinyvggDir);
    expect(asPack.manifest.id).toBe('tinyvgg');
    expect(asPack.manifest.labels[0]).toBe('lifeboat');
    asPack.dispose();

    const copy = join(scratch, 'my model');
    cpSync(tinyvggDir, copy, { recursive: true });
    const generic = await loadServerModel(tf, join(copy, 'model.json'));
    expect(generic.manifest).toMatchObject({
      id: 'my-model',
      inputSize: { height: 64, width: 64, channels: 3 },
      preprocessing: { resize: 'stretch', scale: 1 / 255 },
      output: 'softmax',
      labels: Array.from({ length: 10 }, (_, i) => `class ${i}`),
    });
    generic.dispose();
  });

  it.skipIf(!packsPresent)('names a missing or truncated weight file', async () => {
    const broken = join(scratch, 'broken');
    cpSync(tinyvggDir, broken, { recursive: true });
    const shard = join(broken, 'group1-shard1of1.bin');
    writeFileSync(shard, readFileSync(shard).subarray(0, 1000));
    await expect(loadServerModel(tf, broken)).rejects.toThrow(
      /weight group 1 \(group1-shard1of1\.bin\).*the files hold 1000/,
    );
    rmSync(shard);
    await expect(loadServerModel(tf, broken)).rejects.toThrow(
      /weight file "group1-shard1of1\.bin" is missing/,
    );
  });

  it('explains unknown references', async () => {
    await expect(resolveModelSource('no-such-model')).rejects.toThrow(
      /unknown model "no-such-model": not a built-in or pack id \(mnist-cnn, .*squeezenet-1\.0/,
    );
    await expect(resolveModelSource(scratch)).rejects.toThrow(/no manifest\.json or model\.json in/);
  });
});

describe('the file-system handler', () => {
  it('saves and loads a model unchanged, without leaking tensors', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [8, 8, 1], filters: 2, kernelSize: 3 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const path = join(scratch, 'saved/model.json');
    mkdirSync(join(scratch, 'saved'));
    await model.save(fileSystemHandler(path));
    const before = tf.memory().numTensors;
    const loaded = await tf.loadLayersModel(fileSystemHandler(path));
    const input = tf.ones([1, 8, 8, 1]);
    const [a, b] = [model.predict(input) as tf.Tensor, loaded.predict(input) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([input, a, b]);
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

describe('URLs', () => {
  let site: Awaited<ReturnType<typeof serve>>;

  beforeAll(async () => {
    site = await serve(join(PROJECT_ROOT, 'public/models'));
  });

  afterAll(() => {
    site.server.close();
  });

  it('downloads a manifest URL once into the cache, then loads it offline', async () => {
    const cacheDir = join(scratch, 'cache');
    const url = `${site.origin}/mnist-cnn/manifest.json`;
    const first = await loadServerModel(tf, url, { paths: { cacheDir } });
    expect(first.manifest.id).toBe('mnist-cnn');
    expect(first.origin).toEqual({ kind: 'url', location: url });
    first.dispose();
    expect(site.requests).toEqual([
      '/mnist-cnn/manifest.json',
      '/mnist-cnn/model.json',
      '/mnist-cnn/weights.bin',
    ]);
    const second = await loadServerModel(tf, url, { paths: { cacheDir } });
    second.dispose();
    expect(site.requests).toHaveLength(3);
  });

  it('says what is wrong when offline and not cached', async () => {
    const closed = await serve(scratch);
    const origin = closed.origin;
    await new Promise((resolve) => closed.server.close(resolve));
    await expect(
      resolveModelSource(`${origin}/model.json`, { paths: { cacheDir: join(scratch, 'cache') } }),
    ).rejects.toThrow(
      /cannot download http:\/\/127\.0\.0\.1:\d+\/model\.json \(ECONNREFUSED\): offline or the host is unreachable, and the model is not in the cache yet/,
    );
    await expect(
      resolveModelSource(`${site.origin}/missing/model.json`, {
        paths: { cacheDir: join(scratch, 'cache') },
      }),
    ).rejects.toThrow(/HTTP 404/);
  });

  it('accepts https, and plain http only to this machine', () => {
    expect(() => checkDownloadUrl('https://example.org/model.json')).not.toThrow();
    expect(() => checkDownloadUrl('http://localhost:8080/model.json')).not.toThrow();
    expect(() => checkDownloadUrl('http://example.org/model.json')).toThrow(/must use https/);
    expect(() => checkDownloadUrl('ftp://example.org/model.json')).toThrow(/must use https/);
  });

  it('loads in the browser way: manifest URL, then tf.io.http for model.json and weights', async () => {
    const progress: number[] = [];
    const loaded = await loadModel(tf, `${site.origin}/mnist-cnn/manifest.json`, {
      onProgress: (f) => progress.push(f),
    });
    expect(loaded.manifest.id).toBe('mnist-cnn');
    expect(loaded.layers.map((layer) => layer.kind)).toEqual([
      'input',
      'conv2d',
      'max-pool',
      'conv2d',
      'max-pool',
      'conv2d',
      'flatten',
      'pointwise',
      'dense',
    ]);
    expect(progress.at(-1)).toBe(1);
    loaded.dispose();
    await expect(loadModel(tf, `${site.origin}/nothing/manifest.json`)).rejects.toThrow(/HTTP 404/);
  });
});
