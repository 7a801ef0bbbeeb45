// Browser image decoding for a model: the same resize-and-crop plan the server runs with sharp
// (lib/models/preprocess.ts resizePlan), executed with canvas drawImage. The browser decodes JPEG/PNG,
// grayscale and CMYK alike to RGBA; transparent pixels are flattened onto white as on the server.
import { type HwcPixels, pixelsToInputTensor, resizePlan } from '@/lib/models/preprocess';
import type { ModelManifest } from '@/lib/models/types';
import type { Tensor4D, Tf } from '@/lib/tf';

type Drawable = ImageBitmap | HTMLImageElement | HTMLCanvasElement | OffscreenCanvas;

/** Decodes a file, blob or URL, honouring EXIF orientation like the server's sharp().rotate(). */
export async function decodeImageBitmap(source: Blob | string): Promise<ImageBitmap> {
  const blob = typeof source === 'string' ? await fetchBlob(source) : source;
  try {
    return await createImageBitmap(blob, { imageOrientation: 'from-image' });
  } catch (error) {
    throw new Error(
      `cannot decode image ${typeof source === 'string' ? source : ''}: ${(error as Error).message}`,
    );
  }
}

async function fetchBlob(url: string): Promise<Blob> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`cannot fetch image ${url}: HTTP ${response.status}`);
  return response.blob();
}

function sizeOf(image: Drawable): { width: number; height: number } {
  if ('naturalWidth' in image) return { width: image.naturalWidth, height: image.naturalHeight };
  return { width: image.width, height: image.height };
}

/** The image resized and cropped as the manifest says: 8-bit pixels at the model's input size. */
export function drawForModel(image: Drawable, manifest: ModelManifest): HwcPixels {
  const { height, width, channels } = manifest.inputSize;
  const plan = resizePlan(sizeOf(image), manifest.preprocessing, { width, height });
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d', { willReadFrequently: true });
  if (!context) throw new Error('no 2D canvas context');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  context.imageSmoothingEnabled = true;
  context.imageSmoothingQuality = 'high';
  // Resize the whole image, shifted so the crop rectangle lands on the canvas.
  context.drawImage(image, -plan.crop.left, -plan.crop.top, plan.resize.width, plan.resize.height);
  return fromRgba(context.getImageData(0, 0, width, height).data, height, width, channels);
}

/** RGBA → RGB, or → gray with Rec. 601 luma for one-channel models (exact for gray images). */
export function fromRgba(rgba: Uint8ClampedArray, height: number, width: number, channels: 1 | 3): HwcPixels {
  const data = new Uint8Array(height * width * channels);
  for (let i = 0, p = 0; i < height * width; i++, p += 4) {
    if (channels === 3) {
      data[i * 3] = rgba[p];
      data[i * 3 + 1] = rgba[p + 1];
      data[i * 3 + 2] = rgba[p + 2];
    } else {
      data[i] = Math.round(0.299 * rgba[p] + 0.587 * rgba[p + 1] + 0.114 * rgba[p + 2]);
    }
  }
  return { height, width, channels, data };
}

/** Decode + plan + scaling: the model's input tensor [1, H, W, C]; the caller disposes it. */
export async function imageToInputTensor(
  tf: Tf,
  source: Blob | string,
  manifest: ModelManifest,
): Promise<Tensor4D> {
  const bitmap = await decodeImageBitmap(source);
  try {
    return pixelsToInputTensor(tf, drawForModel(bitmap, manifest), manifest);
  } finally {
    bitmap.close();
  }
}
