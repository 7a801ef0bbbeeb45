// What an occluding patch is painted with, in 0..255 pixel space.
import type { OcclusionFill } from '../protocol/primitives';
import type { PixelImage } from './image';

export type { OcclusionFill };

/** The value every pixel would take under a patch, as a full-size HWC float image. */
export type FillSource = Float32Array;

export function fillSource(image: PixelImage, fill: OcclusionFill, patch: number): FillSource {
  const { height, width, channels, data } = image;
  const out = new Float32Array(height * width * channels);
  switch (fill) {
    case 'grey':
      return out.fill(128);
    case 'zero':
      return out;
    case 'mean': {
      const mean = channelMeans(image);
      for (let i = 0; i < out.length; i++) out[i] = mean[i % channels];
      return out;
    }
    case 'blur':
      return gaussianBlur({ height, width, channels, data: Float32Array.from(data) }, blurSigma(patch));
  }
}

/** The blur removes detail at the patch's scale: sigma = patch/4, so ±2σ spans the patch. */
function blurSigma(patch: number): number {
  return Math.max(1, patch / 4);
}

export function channelMeans(image: PixelImage): Float64Array {
  const sums = new Float64Array(image.channels);
  for (let i = 0; i < image.data.length; i++) sums[i % image.channels] += image.data[i];
  return sums.map((s) => s / (image.height * image.width));
}

/** Separable Gaussian blur of an HWC float image with edge clamping, radius ⌈3σ⌉. */
export function gaussianBlur(
  image: { height: number; width: number; channels: number; data: Float32Array },
  sigma: number,
): Float32Array {
  const { height, width, channels } = image;
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float64Array(2 * radius + 1);
  let total = 0;
  for (let i = -radius; i <= radius; i++) {
    kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
    total += kernel[i + radius];
  }
  for (let i = 0; i < kernel.length; i++) kernel[i] /= total;

  const pass = (src: Float32Array, horizontal: boolean): Float32Array => {
    const dst = new Float32Array(src.length);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        for (let c = 0; c < channels; c++) {
          let acc = 0;
          for (let k = -radius; k <= radius; k++) {
            const yy = horizontal ? y : Math.min(height - 1, Math.max(0, y + k));
            const xx = horizontal ? Math.min(width - 1, Math.max(0, x + k)) : x;
            acc += kernel[k + radius] * src[(yy * width + xx) * channels + c];
          }
          dst[(y * width + x) * channels + c] = acc;
        }
      }
    }
    return dst;
  };
  return pass(pass(image.data, true), false);
}

/** An image, what its pixels become under the patch, and the patch's side. */
export interface Occluder {
  image: PixelImage;
  source: FillSource;
  patch: number;
}

/** Writes the image into `target` at `offset` with the patch's top-left corner at (y, x). */
export function writeOccluded(
  target: Float32Array,
  offset: number,
  { image, source, patch }: Occluder,
  { y, x }: { y: number; x: number },
): void {
  const { width, channels, data } = image;
  for (let i = 0; i < data.length; i++) target[offset + i] = data[i];
  const y1 = Math.min(image.height, y + patch);
  const x1 = Math.min(width, x + patch);
  const rowStart = Math.max(0, x) * channels;
  const rowEnd = x1 * channels;
  for (let yy = Math.max(0, y); yy < y1; yy++) {
    const row = yy * width * channels;
    target.set(source.subarray(row + rowStart, row + rowEnd), offset + row + rowStart);
  }
}
