// PixelImage (1, 3 or 4 interleaved channels) to the RGBA bytes ImageData wants.
import type { PixelImage } from '@/lib/viz';

export function pixelImageToRgba(image: PixelImage): Uint8ClampedArray {
  const { height, width, channels, data } = image;
  if (channels !== 1 && channels !== 3 && channels !== 4) {
    throw new Error(`cannot draw an image with ${channels} channels`);
  }
  const pixels = height * width;
  if (data.length !== pixels * channels) {
    throw new Error(`pixel buffer has ${data.length} values, expected ${height}x${width}x${channels}`);
  }
  if (channels === 4) return new Uint8ClampedArray(data);
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = data[p * channels + (channels === 3 ? c : 0)];
    out[p * 4 + 3] = 255;
  }
  return out;
}
