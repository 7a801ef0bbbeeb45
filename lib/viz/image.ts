// Plain pixel containers shared by the viz computations and their renderers.
import type { PixelImage, RgbaTile } from '../protocol/results';

export type { PixelImage, RgbaTile };

export function assertPixelImage(image: PixelImage): void {
  const expected = image.height * image.width * image.channels;
  if (image.data.length !== expected) {
    throw new Error(
      `pixel buffer has ${image.data.length} values, expected ${image.height}x${image.width}x${image.channels}`,
    );
  }
}
