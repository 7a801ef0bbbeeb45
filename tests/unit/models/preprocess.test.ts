// The shared resize-and-crop plan, the pixel scaling, and sharp decoding (gray, CMYK, alpha, EXIF).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@/lib/models/manifest';
import { inputValueToPixel, pixelsToInputTensor, resizePlan } from '@/lib/models/preprocess';
import type { Preprocessing } from '@/lib/models/types';
import { decodeForModel, decodeImage, imageSize, imageToInputTensor } from '@/server/images/decode';
import { modelPaths } from '@/server/models/paths';
import { tf, useWasm } from './helpers/tf-wasm';

const base: Omit<Preprocessing, 'resize'> = { mean: [0, 0, 0], scale: 1, offset: 0, channels: 3 };

describe('resizePlan', () => {
  it('stretch: the whole image to the input size', () => {
    expect(
      resizePlan({ width: 500, height: 436 }, { ...base, resize: 'stretch' }, { width: 64, height: 64 }),
    ).toEqual({
      resize: { width: 64, height: 64 },
      crop: { left: 0, top: 0, width: 64, height: 64 },
    });
  });

  it('centre-crop square then resize: cover the input, crop the middle', () => {
    // 500×436 → shorter side 436 → 224: width 500·224/436 = 256.9 → 257, crop (257−224)/2 = 16 from the left.
    expect(
      resizePlan(
        { width: 500, height: 436 },
        { ...base, resize: 'center-crop-square-then-resize' },
        { width: 224, height: 224 },
      ),
    ).toEqual({ resize: { width: 257, height: 224 }, crop: { left: 16, top: 0, width: 224, height: 224 } });
    expect(
      resizePlan(
        { width: 300, height: 600 },
        { ...base, resize: 'center-crop-square-then-resize' },
        { width: 224, height: 224 },
      ),
    ).toEqual({ resize: { width: 224, height: 448 }, crop: { left: 0, top: 112, width: 224, height: 224 } });
  });

  it('shorter side to resizeTo, then the centre crop (SqueezeNet: 256 then 227)', () => {
    const squeeze: Preprocessing = { ...base, resize: 'shorter-side-then-center-crop', resizeTo: 256 };
    expect(resizePlan({ width: 500, height: 436 }, squeeze, { width: 227, height: 227 })).toEqual({
      resize: { width: 294, height: 256 },
      crop: { left: 33, top: 14, width: 227, height: 227 },
    });
    // Images smaller than the crop are scaled up enough to cover it.
    expect(
      resizePlan({ width: 100, height: 50 }, { ...squeeze, resizeTo: 200 }, { width: 227, height: 227 })
        .resize,
    ).toEqual({
      width: 454,
      height: 227,
    });
  });

  it('rejects images without pixels', () => {
    expect(() =>
      resizePlan({ width: 0, height: 10 }, { ...base, resize: 'stretch' }, { width: 4, height: 4 }),
    ).toThrow(/no pixels/);
  });
});

describe('pixelsToInputTensor', () => {
  beforeAll(async () => {
    await useWasm();
  });

  it('applies (x − mean) · scale + offset per channel and leaks nothing', () => {
    const manifest = parseManifest({
      id: 'm',
      inputSize: { height: 1, width: 2, channels: 3 },
      preprocessing: { mean: [10, 20, 30], scale: 0.5, offset: -1 },
    });
    const before = tf.memory().numTensors;
    const input = pixelsToInputTensor(
      tf,
      { height: 1, width: 2, channels: 3, data: new Uint8Array([10, 20, 30, 110, 220, 255]) },
      manifest,
    );
    expect(input.shape).toEqual([1, 1, 2, 3]);
    expect(Array.from(input.dataSync())).toEqual([-1, -1, -1, 49, 99, 111.5]);
    input.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(inputValueToPixel(111.5, 2, manifest.preprocessing)).toBe(255);
    expect(() =>
      pixelsToInputTensor(tf, { height: 2, width: 2, channels: 3, data: new Uint8Array(12) }, manifest),
    ).toThrow(/pixels are 2×2×3, model m takes 1×2×3/);
  });
});

/** A 40×30 test picture: left half red, right half blue, a white square in the middle. */
function picture(): Buffer {
  const data = Buffer.alloc(40 * 30 * 3);
  for (let y = 0; y < 30; y++) {
    for (let x = 0; x < 40; x++) {
      const i = (y * 40 + x) * 3;
      const white = x >= 15 && x < 25 && y >= 10 && y < 20;
      data.set(white ? [255, 255, 255] : x < 20 ? [220, 30, 30] : [30, 30, 220], i);
    }
  }
  return data;
}

describe('decoding with sharp', () => {
  const raw = { raw: { width: 40, height: 30, channels: 3 as const } };

  it('decodes PNG and JPEG to RGB', async () => {
    const png = await sharp(picture(), raw).png().toBuffer();
    const decoded = await decodeImage(png);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([40, 30, 3]);
    expect(Array.from(decoded.data.subarray(0, 3))).toEqual([220, 30, 30]);
    const jpeg = await sharp(picture(), raw).jpeg({ quality: 95 }).toBuffer();
    const fromJpeg = await decodeImage(jpeg);
    const centre = (15 * 40 + 20) * 3;
    expect(Array.from(fromJpeg.data.subarray(centre, centre + 3)).every((v) => v > 240)).toBe(true);
  });

  it('turns grayscale and CMYK JPEGs into RGB', async () => {
    const gray = await sharp(picture(), raw).toColourspace('b-w').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(gray).metadata()).channels).toBe(1);
    const fromGray = await decodeImage(gray);
    expect(fromGray.channels).toBe(3);
    const p = (5 * 40 + 5) * 3;
    expect(fromGray.data[p]).toBe(fromGray.data[p + 1]);
    expect(fromGray.data[p + 1]).toBe(fromGray.data[p + 2]);

    const cmyk = await sharp(picture(), raw).toColourspace('cmyk').jpeg({ quality: 95 }).toBuffer();
    expect((await sharp(cmyk).metadata()).space).toBe('cmyk');
    const fromCmyk = await decodeImage(cmyk);
    expect(fromCmyk.channels).toBe(3);
    const [r, g, b] = fromCmyk.data.subarray(p, p + 3);
    expect(r).toBeGreaterThan(150);
    expect(g).toBeLessThan(100);
    expect(b).toBeLessThan(100);
  });

  it('flattens transparency onto white and honours EXIF orientation', async () => {
    const rgba = Buffer.alloc(4 * 4 * 4); // fully transparent
    const png = await sharp(rgba, { raw: { width: 4, height: 4, channels: 4 } })
      .png()
      .toBuffer();
    expect(Array.from((await decodeImage(png)).data.subarray(0, 3))).toEqual([255, 255, 255]);
    const rotated = await sharp(picture(), raw).jpeg().withMetadata({ orientation: 6 }).toBuffer();
    expect(await imageSize(rotated)).toEqual({ width: 30, height: 40 });
    expect((await decodeImage(rotated)).width).toBe(30);
  });

  it('applies the plan: output at the input size, crop centred', async () => {
    const png = await sharp(picture(), raw).png().toBuffer();
    const square = parseManifest({
      id: 'square',
      inputSize: { height: 10, width: 10, channels: 3 },
      preprocessing: { resize: 'center-crop-square-then-resize' },
    });
    const pixels = await decodeForModel(png, square);
    expect([pixels.height, pixels.width]).toEqual([10, 10]);
    // 40×30 → 13×10, crop 1 column from the left: the white square stays centred.
    const centre = (5 * 10 + 5) * 3;
    expect(Array.from(pixels.data.subarray(centre, centre + 3)).every((v) => v > 200)).toBe(true);
    const gray = parseManifest({ id: 'gray', inputSize: { height: 8, width: 8, channels: 1 } });
    expect((await decodeForModel(png, gray)).data).toHaveLength(64);
  });

  it('names the file it could not read, never its folder (messages reach clients)', async () => {
    const error = await decodeImage('/no/such/image.png').catch((e: Error) => e);
    expect((error as Error).message).toMatch(/^cannot decode image image\.png: /);
    expect((error as Error).message).not.toContain('/no/such');
    await expect(decodeImage(Buffer.from('not an image'))).rejects.toThrow(
      /cannot decode image \(12 bytes\)/,
    );
  });

  const grayPhoto = join(modelPaths().packsDir, 'images/imagenet-sample-images/n02096051_Airedale.JPEG');
  it.skipIf(!existsSync(grayPhoto))('feeds a grayscale ImageNet photo to a 3-channel model', async () => {
    await useWasm();
    const manifest = parseManifest({
      id: 'rgb',
      inputSize: { height: 224, width: 224, channels: 3 },
      preprocessing: { resize: 'center-crop-square-then-resize' },
    });
    const input = await imageToInputTensor(tf, grayPhoto, manifest);
    expect(input.shape).toEqual([1, 224, 224, 3]);
    input.dispose();
  });
});
