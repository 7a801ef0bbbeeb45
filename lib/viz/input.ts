// From 8-bit pixels at the model's input size to the model's input tensor, one or many images.
import { pixelsToInputTensor } from '@/lib/models/preprocess';
import type { ModelManifest } from '@/lib/models/types';
import type { Tensor4D, Tf } from '@/lib/tf';
import { assertPixelImage, type PixelImage } from './image';

/** A model input: pixels at the model's input size (preprocessed here), or an input tensor [1,H,W,C]. */
export type ModelInput = PixelImage | Tensor4D;

function isPixelImage(input: ModelInput): input is PixelImage {
  return 'data' in input && !('dataSync' in input);
}

export function checkInputSize(manifest: ModelManifest, image: PixelImage): void {
  assertPixelImage(image);
  const { height, width, channels } = manifest.inputSize;
  if (image.height !== height || image.width !== width || image.channels !== channels) {
    throw new Error(
      `image is ${image.height}x${image.width}x${image.channels}, model ${manifest.id} takes ${height}x${width}x${channels}`,
    );
  }
}

/**
 * A batch in 0..255 pixel space, NHWC, scaled to the model's input: x' = (x − mean[c])·scale + offset.
 * The buffer is filled by the caller (occlusion patches, top-activating batches) so pixels are
 * edited before the model's scaling. The batched twin of lib/models/preprocess.ts pixelsToInputTensor,
 * with the same ops in the same order (a unit test holds them bit-identical).
 */
export function pixelBatchToInput(
  tf: Tf,
  manifest: ModelManifest,
  pixels: Float32Array,
  batch: number,
): Tensor4D {
  const { height, width, channels } = manifest.inputSize;
  return scalePixels(tf, manifest, pixels, [batch, height, width, channels]);
}

/** The manifest's scaling on any NHWC block of 0..255 pixels (a batch, or crops of one). */
export function scalePixels(
  tf: Tf,
  manifest: ModelManifest,
  pixels: Float32Array,
  shape: [number, number, number, number],
): Tensor4D {
  const { mean, scale, offset } = manifest.preprocessing;
  return tf.tidy(() => {
    const raw = tf.tensor4d(pixels, shape);
    const channelMean = tf.tensor1d(mean.slice(0, shape[3]));
    return tf.add(tf.mul(tf.sub(raw, channelMean), scale), offset) as Tensor4D;
  });
}

export function pixelImageToInput(tf: Tf, manifest: ModelManifest, image: PixelImage): Tensor4D {
  checkInputSize(manifest, image);
  return pixelsToInputTensor(tf, image, manifest);
}

/** Preprocesses pixels, or returns a clone of an input tensor, so the caller always owns the result. */
export function toInputTensor(tf: Tf, manifest: ModelManifest, input: ModelInput): Tensor4D {
  return isPixelImage(input) ? pixelImageToInput(tf, manifest, input) : tf.clone(input);
}
