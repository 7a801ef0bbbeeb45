// Image preprocessing shared by server and browser: the resize-and-crop geometry (one plan, executed by
// sharp on the server and by canvas drawImage in the browser) and the pixel scaling into the input tensor.
import type { Tensor4D, Tf } from '@/lib/tf';
import type { ModelManifest, Preprocessing } from './types';

export interface Size {
  width: number;
  height: number;
}

/**
 * Resize the whole source image to `resize`, then keep the `crop` rectangle (in resized pixels); the crop
 * is exactly the model's input size. Integers throughout, so sharp and canvas execute the same plan.
 */
export interface ResizePlan {
  resize: Size;
  crop: { left: number; top: number; width: number; height: number };
}

export function resizePlan(source: Size, preprocessing: Preprocessing, input: Size): ResizePlan {
  if (!(source.width > 0 && source.height > 0)) {
    throw new Error(`image has no pixels (${source.width}×${source.height})`);
  }
  const scale = resizeScale(source, preprocessing, input);
  const resize =
    scale === undefined
      ? { width: input.width, height: input.height }
      : {
          width: Math.max(input.width, Math.round(source.width * scale)),
          height: Math.max(input.height, Math.round(source.height * scale)),
        };
  return {
    resize,
    crop: {
      left: Math.floor((resize.width - input.width) / 2),
      top: Math.floor((resize.height - input.height) / 2),
      width: input.width,
      height: input.height,
    },
  };
}

/** Uniform scale factor of the resize step, or undefined for a stretch to the input size. */
function resizeScale(source: Size, preprocessing: Preprocessing, input: Size): number | undefined {
  const shorter = Math.min(source.width, source.height);
  switch (preprocessing.resize) {
    case 'stretch':
      return undefined;
    case 'center-crop-square-then-resize':
      // Scale so the image covers the input: the centre crop is then the largest centred region of that aspect.
      return Math.max(input.width / source.width, input.height / source.height);
    case 'shorter-side-then-center-crop': {
      const target = preprocessing.resizeTo ?? Math.max(input.width, input.height);
      return Math.max(target / shorter, input.width / source.width, input.height / source.height);
    }
  }
}

/** Interleaved 8-bit pixels, row-major, channels last (HWC). Same shape as lib/viz's PixelImage. */
export interface HwcPixels {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Pixels at the model's input size → the model's input tensor [1, H, W, C]:
 * x' = (x − mean[c]) · scale + offset, with x in 0..255. The caller owns (and disposes) the result.
 */
export function pixelsToInputTensor(tf: Tf, pixels: HwcPixels, manifest: ModelManifest): Tensor4D {
  const { height, width, channels } = manifest.inputSize;
  if (pixels.height !== height || pixels.width !== width || pixels.channels !== channels) {
    throw new Error(
      `pixels are ${pixels.height}×${pixels.width}×${pixels.channels}, model ${manifest.id} takes ${height}×${width}×${channels}`,
    );
  }
  if (pixels.data.length !== height * width * channels) {
    throw new Error(`pixel buffer has ${pixels.data.length} values, expected ${height * width * channels}`);
  }
  const { mean, scale, offset } = manifest.preprocessing;
  return tf.tidy(() => {
    const raw = tf.tensor4d(Float32Array.from(pixels.data), [1, height, width, channels]);
    const centred = tf.sub(raw, tf.tensor1d(mean.slice(0, channels)));
    return tf.add(tf.mul(centred, scale), offset) as Tensor4D;
  });
}

/** The inverse of the scaling, for showing an input tensor as an image: x = (x' − offset) / scale + mean[c]. */
export function inputValueToPixel(value: number, channel: number, preprocessing: Preprocessing): number {
  return (value - preprocessing.offset) / preprocessing.scale + preprocessing.mean[channel];
}
