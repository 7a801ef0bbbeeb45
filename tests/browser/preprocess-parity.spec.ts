// The same image, prepared for the same model, by sharp on the server and by canvas in the browser.
// Both follow one resize-and-crop plan (lib/models/preprocess.ts); they differ only in the resampling
// filter (sharp: Lanczos 3, Chromium: its own high-quality smoothing) and in grey conversion, so the
// pixels agree closely but not exactly. Tolerances are stated below, in 0..255 pixel levels.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { findPack } from '@/lib/models/packs';
import type { ModelManifest } from '@/lib/models/types';
import { decodeForModel } from '@/server/images/decode';
import { readJson, readPackManifest } from '@/server/models/directory';

const root = path.resolve(import.meta.dirname, '../..');
const packsDir = path.resolve(root, '../shared/packs');
const ORIGIN = 'http://preprocess-parity.test';

interface Case {
  name: string;
  file: string;
  manifest: () => Promise<ModelManifest>;
  /** Largest accepted mean absolute difference over all pixel values, and 99th percentile, in levels. */
  tolerance: { mean: number; p99: number };
}

const cases: Case[] = [
  {
    name: 'built-in digits (PNG, grey, 28×28 stretch)',
    file: path.join(root, 'public/images/mnist/003-0.png'),
    manifest: async () =>
      (await readJson(path.join(root, 'public/models/mnist-cnn/manifest.json'))) as ModelManifest,
    // Same size in and out: no resampling, so the pixels must be identical.
    tolerance: { mean: 0, p99: 0 },
  },
  {
    name: 'Pomeranian JPEG for MobileNet (centre-crop square, resize to 224)',
    file: path.join(packsDir, 'images/test-images/dog_pomeranian.JPEG'),
    manifest: () => readPackManifest(findPack('mobilenet-v1-0.75')!, packsDir),
    tolerance: { mean: 3, p99: 24 },
  },
  {
    name: 'colour JPEG for SqueezeNet (shorter side 256, centre-crop 227)',
    file: path.join(packsDir, 'images/imagenet-sample-images/n01665541_leatherback_turtle.JPEG'),
    manifest: () => readPackManifest(findPack('squeezenet-1.0')!, packsDir),
    // A fine, high-contrast texture (sand) downscaled: the two resampling filters differ most here.
    tolerance: { mean: 8, p99: 32 },
  },
  {
    name: 'grayscale JPEG to RGB for SqueezeNet',
    file: path.join(packsDir, 'images/imagenet-sample-images/n02096051_Airedale.JPEG'),
    manifest: () => readPackManifest(findPack('squeezenet-1.0')!, packsDir),
    tolerance: { mean: 8, p99: 32 },
  },
];

let bundle = '';
test.beforeAll(async () => {
  const out = await build({
    entryPoints: [path.join(import.meta.dirname, 'fixtures/preprocess-entry.ts')],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    alias: { '@': root },
    logLevel: 'silent',
  });
  bundle = out.outputFiles[0].text;
});

for (const c of cases) {
  test(`${c.name}: browser pixels match the server's`, async ({ page }) => {
    test.skip(!existsSync(c.file), `${c.file} is absent (the packs live in ../shared/packs)`);
    const manifest = await c.manifest();
    const server = await decodeForModel(c.file, manifest);
    await page.route(`${ORIGIN}/**`, (route) => {
      const url = new URL(route.request().url());
      if (url.pathname === '/')
        return route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>parity</title>' });
      if (url.pathname === '/entry.js')
        return route.fulfill({ contentType: 'text/javascript', body: bundle });
      if (url.pathname === '/image') return route.fulfill({ body: readFileSync(c.file) });
      return route.fulfill({ status: 404 });
    });
    await page.goto(`${ORIGIN}/`);
    await page.addScriptTag({ url: `${ORIGIN}/entry.js` });
    const browser = await page.evaluate(([url, m]) => window.decodeForModelInBrowser(url, m), [
      `${ORIGIN}/image`,
      manifest,
    ] as const);
    expect(browser.length).toBe(server.data.length);
    const diffs = browser.map((v, i) => Math.abs(v - server.data[i])).sort((a, b) => a - b);
    const mean = diffs.reduce((s, d) => s + d, 0) / diffs.length;
    const p99 = diffs[Math.floor(diffs.length * 0.99)];
    test.info().annotations.push({
      type: 'difference',
      description: `mean ${mean.toFixed(2)}, p99 ${p99}, max ${diffs.at(-1)}`,
    });
    expect(mean).toBeLessThanOrEqual(c.tolerance.mean);
    expect(p99).toBeLessThanOrEqual(c.tolerance.p99);
  });
}
