// An uploaded photo computes in a browser exactly as on the server: the browser fetches the model and the
// server-decoded pixels of the upload (/api/pixels/<model>/uploads/<hash>.png) and runs the same code.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import sharp from 'sharp';
import { runCompute } from '@/lib/compute/run';
import type { CatalogImage } from '@/lib/protocol/http';
import { ImageCatalog } from '@/server/catalog/images';
import { createServerComputeEnv } from '@/server/compute/env';
import { bundleForBrowser } from './support/bundle';
import { createSession, instructorSeat } from './support/classroom';

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

for (const viewport of [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
]) {
  test(`an uploaded photo keeps its name and its occlusion map computes on the server and in the browser (${viewport.width}×${viewport.height})`, async ({
    browser,
    request,
  }, testInfo) => {
    // A photo no earlier test sent (uploads are stored by content): the digit mirrored, at this viewport's width.
    const name = `mirrored four ${viewport.width}.png`;
    const photo = await sharp(readFileSync(path.join(root, 'public/images/mnist/000-4.png')))
      .flop()
      .resize(28 + (viewport.width % 7), 28 + (viewport.width % 7))
      .png()
      .toBuffer();
    const session = await createSession(request, 'Your own photo');
    const teacher = await instructorSeat(browser, session, { viewport });
    const page = teacher.page;
    await expect(page.getByTestId('prediction')).toContainText('the model says');

    // A file that is not an image: the error shows beside the image uploader, not the model's.
    await page
      .getByTestId('image-upload')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'notes.png',
        mimeType: 'image/png',
        buffer: Buffer.from('not a picture'),
      });
    await expect(page.getByTestId('image-upload-error')).toContainText('notes.png');
    await expect(page.getByTestId('model-upload-error')).toHaveCount(0);
    // And a model upload's error beside the model uploader (weights without their model.json).
    await page
      .getByTestId('model-upload')
      .locator('input[type=file]')
      .setInputFiles({
        name: 'group1-shard1of1.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.alloc(16),
      });
    await expect(page.getByTestId('model-upload-error')).toContainText('model.json');
    // A model sent whole but broken: the server's reason, still beside the model uploader.
    await page
      .getByTestId('model-upload')
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from('{"format": "nonsense"}') },
        { name: 'group1-shard1of1.bin', mimeType: 'application/octet-stream', buffer: Buffer.alloc(16) },
      ]);
    await expect
      .poll(() => page.getByTestId('model-upload-error').textContent())
      .toMatch(/^(?!Choose model\.json)\S/);
    await expect(page.getByTestId('image-upload-error')).toContainText('notes.png');

    await page.getByTestId('image-upload').locator('input[type=file]').setInputFiles({
      name,
      mimeType: 'image/png',
      buffer: photo,
    });
    await expect(page.getByTestId('image-upload')).toContainText(`Showing ${name}.`);
    // The picker names it by the file it was sent as, never by its stored hash.
    await expect(page.getByLabel('Image', { exact: true })).toContainText(name);
    await expect(page.getByLabel('Image', { exact: true })).not.toContainText(/[0-9a-f]{32}/);
    await expect(page.getByTestId('prediction')).toContainText(`${name} → the model says`);

    await page.getByRole('tab', { name: 'Occlusion' }).click();
    const heatmap = page.getByTestId('occlusion-heatmap');
    await expect(heatmap).toHaveAttribute('data-checksum', /.+/);
    await expect(page.getByTestId('result-source').first()).toContainText('server');
    const onServer = await page.getByTestId('occlusion-view').getAttribute('data-base-prob');
    const shot = testInfo.outputPath(`upload-occlusion-server-${viewport.width}x${viewport.height}.png`);
    await page.screenshot({ path: shot, fullPage: true });
    await testInfo.attach('upload-occlusion-server', { path: shot, contentType: 'image/png' });

    // The same map computed in this browser (the server declines: the session computes in the browsers).
    // A controlled radio: it shows checked once the server has logged the change, so click, then wait for it.
    await page.getByLabel('in each browser').click();
    await expect(page.getByLabel('in each browser')).toBeChecked();
    await page.reload();
    await expect(page.getByTestId('status')).toHaveAttribute('data-status', 'live');
    await expect(heatmap).toHaveAttribute('data-checksum', /.+/);
    await expect(page.getByTestId('result-source').first()).toContainText('your browser');
    const inBrowser = await page.getByTestId('occlusion-view').getAttribute('data-base-prob');
    expect(Math.abs(Number(inBrowser) - Number(onServer))).toBeLessThan(1e-4);
    const shot2 = testInfo.outputPath(`upload-occlusion-browser-${viewport.width}x${viewport.height}.png`);
    await page.screenshot({ path: shot2, fullPage: true });
    await testInfo.attach('upload-occlusion-browser', { path: shot2, contentType: 'image/png' });

    await teacher.context.close();
  });
}
