// Plain pixel containers shared by the viz computations and their renderers.

/** Interleaved 8-bit pixels, row-major, channels last (HWC). */
export interface PixelImage {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/** An RGBA image, e.g. one filter drawn as a tile; feeds ImageData or sharp's raw input directly. */
export interface RgbaTile {
  height: number;
  width: number;
  data: Uint8ClampedArray;
}

export function assertPixelImage(image: PixelImage): void {
  const expected = image.height * image.width * image.channels;
  if (image.data.length !== expected) {
    throw new Error(
      `pixel buffer has ${image.data.length} values, expected ${image.height}x${image.width}x${image.channels}`,
    );
  }
}
