// Same numbers everywhere: the lib/viz computations run in Chromium on webgl and wasm and in Node on
// wasm, on the same pixels, must agree. The page is a bundle of lib/viz served through page.route,
// so this test needs none of the app's pages.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, type Page, type Route, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { findPack } from '@/lib/models/packs';
import type { LoadedModel, ModelManifest } from '@/lib/models/types';
import { decodeForModel } from '@/server/images/decode';
import { readPackManifest } from '@/server/models/directory';
import { loadServerModel } from '@/server/models/load';
import { parityMismatches } from './fixtures/parity-compare';
import { type ParityInputs, runParitySuite } from './fixtures/parity-suite';
import { bundleForBrowser } from './support/bundle';

const root = path.resolve(import.meta.dirname, '../..');
const packsDir = path.resolve(root, '../shared/packs');
const hasPacks = existsSync(path.join(packsDir, 'models/tinyvgg-cnn-explainer'));
const ORIGIN = 'http://viz-parity.test';

interface Case {
  name: string;
  manifestPath: string;
  /** URL path → file on disk (or generated content) for this model. */
  files: (file: string) => Buffer | undefined;
  load: () => Promise<LoadedModel>;
  images: () => Promise<{ id: string; file: string }[]>;
  layer: string;
  patch: number;
  stride: number;
}

const mnistDir = path.join(root, 'public/models/mnist-cnn');
const tinyPack = findPack('tinyvgg')!;
const tinyDir = path.join(packsDir, tinyPack.directory);

const cases: Case[] = [
  {
    name: 'built-in MNIST CNN',
    manifestPath: '/models/mnist-cnn/manifest.json',
    files: (file) => readIfExists(path.join(mnistDir, path.basename(file))),
    load: () => loadServerModel(tf, 'mnist-cnn', { paths: { packsDir } }),
    images: async () => listImages(path.join(root, 'public/images/mnist'), 6),
    layer: 'conv2',
    patch: 8,
    stride: 4,
  },
  {
    name: 'TinyVGG (packs)',
    manifestPath: '/packs/tinyvgg/manifest.json',
    files: (file) =>
      file === 'manifest.json'
        ? Buffer.from(JSON.stringify(tinyManifest))
        : readIfExists(path.join(tinyDir, path.basename(file))),
    load: () => loadServerModel(tf, 'tinyvgg', { paths: { packsDir } }),
    images: async () => listImages(path.join(packsDir, 'images/cnn-explainer-tiny-imagenet'), 6),
    layer: 'conv_1_2',
    patch: 16,
    stride: 12,
  },
];

let tinyManifest: ModelManifest | undefined;
let bundle: string;

function readIfExists(file: string): Buffer | undefined {
  return existsSync(file) ? readFileSync(file) : undefined;
}

function listImages(dir: string, count: number): { id: string; file: string }[] {
  return readdirSync(dir)
    .filter((f) => /\.(png|jpe?g)$/i.test(f))
    .sort()
    .slice(0, count)
    .map((f) => ({ id: f, file: path.join(dir, f) }));
}

test.beforeAll(async () => {
  bundle = await bundleForBrowser(path.join(import.meta.dirname, 'fixtures/viz-entry.ts'));
  if (hasPacks) tinyManifest = { ...(await readPackManifest(tinyPack, packsDir)), modelUrl: 'model.json' };
  await tf.setBackend('wasm');
  await tf.ready();
});

async function serve(page: Page, testCase: Case): Promise<void> {
  const wasmDir = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
  await page.route(`${ORIGIN}/**`, async (route: Route) => {
    const url = new URL(route.request().url());
    const reply = (body: Buffer | string, contentType: string) =>
      route.fulfill({ status: 200, body, contentType });
    if (url.pathname === '/') {
      return reply('<!doctype html><meta charset="utf-8"><script src="/viz-entry.js"></script>', 'text/html');
    }
    if (url.pathname === '/viz-entry.js') return reply(bundle, 'text/javascript');
    if (url.pathname.startsWith('/wasm/')) {
      const file = readIfExists(path.join(wasmDir, path.basename(url.pathname)));
      if (file) return reply(file, 'application/wasm');
    }
    const modelBase = path.dirname(testCase.manifestPath);
    if (url.pathname.startsWith(`${modelBase}/`)) {
      const file = testCase.files(url.pathname.slice(modelBase.length + 1));
      if (file)
        return reply(file, url.pathname.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    }
    return route.fulfill({ status: 404, body: 'not found' });
  });
  await page.goto(`${ORIGIN}/`);
  await page.waitForFunction(() => typeof window.runParity === 'function');
}

for (const testCase of cases) {
  test.describe(testCase.name, () => {
    test.skip(testCase.name.includes('packs') && !hasPacks, 'needs ../shared/packs');

    test('webgl and wasm in Chromium agree with Node', async ({ page }) => {
      test.setTimeout(240_000);
      const images = await testCase.images();
      const loaded = await testCase.load();
      const pixels = await Promise.all(
        images.map(async (i) => ({
          id: i.id,
          data: Array.from((await decodeForModel(i.file, loaded.manifest)).data),
        })),
      );
      const inputs: ParityInputs = {
        images: pixels,
        layer: testCase.layer,
        patch: testCase.patch,
        stride: testCase.stride,
      };
      const node = await runParitySuite(tf, loaded, inputs);
      loaded.dispose();
      expect(node.backend).toBe('wasm');

      await serve(page, testCase);
      for (const backend of ['wasm', 'webgl'] as const) {
        const browser = await page.evaluate(([b, url, args]) => window.runParity(b, url, args), [
          backend,
          testCase.manifestPath,
          inputs,
        ] as const);
        expect(browser.backend).toBe(backend);
        expect(parityMismatches(browser, node)).toEqual([]);
      }
    });
  });
}
