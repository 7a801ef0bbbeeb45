// Decoding images on the server with sharp: JPEG/PNG/WebP, grayscale or CMYK, EXIF-rotated, alpha flattened,
// then the manifest's resize-and-crop plan (shared with the browser) → 8-bit pixels at the model input size.
import { basename } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { type HwcPixels, pixelsToInputTensor, resizePlan, type Size } from '@/lib/models/preprocess';
import type { ModelManifest } from '@/lib/models/types';
import type { Tensor4D, Tf } from '@/lib/tf';
import { withoutServerPaths } from '@/server/client-message';

export type ImageInput = string | Buffer | Uint8Array;

export interface DecodeOptions {
  /** Behind transparent pixels; white, as a browser page shows them. */
  background?: string;
}

/** Width and height as displayed (after EXIF orientation). */
export async function imageSize(input: ImageInput): Promise<Size> {
  const metadata = await guard(input, () => sharp(input).metadata());
  if (!metadata.width || !metadata.height) throw new Error(`cannot decode image ${nameOf(input)}: no size`);
  const rotated = (metadata.orientation ?? 1) >= 5;
  return rotated
    ? { width: metadata.height, height: metadata.width }
    : { width: metadata.width, height: metadata.height };
}

/** The whole image as 8-bit RGB (or gray with channels: 1), no resizing. */
export async function decodeImage(
  input: ImageInput,
  channels: 1 | 3 = 3,
  options: DecodeOptions = {},
): Promise<HwcPixels> {
  return guard(input, async () => toPixels(normalised(input, channels, options), channels));
}

/** The image resized and cropped as the manifest says, at the model's input size. */
export async function decodeForModel(
  input: ImageInput,
  manifest: ModelManifest,
  options: DecodeOptions = {},
): Promise<HwcPixels> {
  const { height, width, channels } = manifest.inputSize;
  const plan = resizePlan(await imageSize(input), manifest.preprocessing, { width, height });
  return guard(input, async () =>
    toPixels(
      normalised(input, channels, options)
        .resize(plan.resize.width, plan.resize.height, { fit: 'fill' })
        .extract(plan.crop),
      channels,
    ),
  );
}

/** decodeForModel + the manifest's scaling: the model's input tensor [1, H, W, C]; the caller disposes it. */
export async function imageToInputTensor(
  tf: Tf,
  input: ImageInput,
  manifest: ModelManifest,
  options: DecodeOptions = {},
): Promise<Tensor4D> {
  return pixelsToInputTensor(tf, await decodeForModel(input, manifest, options), manifest);
}

function normalised(input: ImageInput, channels: 1 | 3, options: DecodeOptions): Sharp {
  const image = sharp(input)
    .rotate()
    .flatten({ background: options.background ?? '#ffffff' });
  // toColourspace converts CMYK (with its ICC profile) and gray to sRGB; 'b-w' gives one channel.
  return channels === 1 ? image.toColourspace('b-w') : image.toColourspace('srgb');
}

async function toPixels(image: Sharp, channels: 1 | 3): Promise<HwcPixels> {
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) {
    throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
  }
  return {
    height: info.height,
    width: info.width,
    channels,
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
  };
}

async function guard<T>(input: ImageInput, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const message = withoutServerPaths((error as Error).message.replace(/\s+/g, ' ').trim());
    throw new Error(`cannot decode image ${nameOf(input)}: ${message}`);
  }
}

/** The file's name (never its folder: messages reach clients) or the buffer's size. */
function nameOf(input: ImageInput): string {
  return typeof input === 'string' ? basename(input) : `(${input.byteLength} bytes)`;
}
