// An uploaded photo computes in a browser exactly as on the server: the browser fetches the model and the
// server-decoded pixels of the upload (/api/pixels/<model>/uploads/<hash>.png) and runs the same code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { runCompute } from '@/lib/compute/run';
import type { CatalogImage } from '@/lib/protocol/http';
import { ImageCatalog } from '@/server/catalog/images';
import { createServerComputeEnv } from '@/server/compute/env';
import { bundleForBrowser } from './support/bundle';

const root = path.resolve(import.meta.dirname, '../..');
let bundle: string;

test.beforeAll(async () => {
  bundle = await bundleForBrowser(path.join(import.meta.dirname, 'fixtures/upload-entry.ts'));
  await tf.setBackend('wasm');
  await tf.ready();
});

test('a freshly uploaded photo computes in the browser with the server’s numbers', async ({
  page,
  request,
}) => {
  const png = readFileSync(path.join(root, 'public/images/mnist/000-4.png'));
  const res = await request.post('/api/images?name=my%20four.png', {
    headers: { 'content-type': 'image/png' },
    data: png,
  });
  expect(res.status()).toBe(201);
  const uploaded = (await res.json()) as CatalogImage;
  expect(uploaded.originalName).toBe('my four.png');

  // Any page of the server's origin will do: the bundle brings its own code.
  await page.goto('/api/health');
  await page.addScriptTag({ content: bundle });
  const inBrowser = await page.evaluate(([model, image]) => window.predictInBrowser(model, image), [
    'mnist-cnn',
    uploaded.id,
  ] as const);

  // The server's side, as its compute workers run it (the upload is found on disk by its content hash).
  const onServer = await runCompute(createServerComputeEnv(tf, await ImageCatalog.discover()), {
    kind: 'predict',
    modelId: 'mnist-cnn',
    imageId: uploaded.id,
  });
  expect(inBrowser).toHaveLength(10);
  for (let i = 0; i < 10; i++) expect(Math.abs(inBrowser[i] - onServer.probs[i])).toBeLessThan(1e-4);
  expect(inBrowser.indexOf(Math.max(...inBrowser))).toBe(4);
});
