// Plain pixel containers shared by the viz computations and their renderers.
import type { RgbaTile } from '../protocol/results';

export type { RgbaTile };

/** Interleaved 8-bit pixels, row-major, channels last (HWC). */
export interface PixelImage {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

export function assertPixelImage(image: PixelImage): void {
  const expected = image.height * image.width * image.channels;
  if (image.data.length !== expected) {
    throw new Error(
      `pixel buffer has ${image.data.length} values, expected ${image.height}x${image.width}x${image.channels}`,
    );
  }
}
