// Does the optimised image work? Each channel's mean activation over positions, for images and for an image
// set (the best photo per channel), with the same objective the optimiser maximised.
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';
import { layerActivations } from '../activations';
import type { PixelImage } from '../image';
import { checkInputSize, pixelBatchToInput } from '../input';
import type { ImageSource } from '../top-activating';

/** Per image, each channel's mean over the layer's positions (the 'channel' objective for every channel). */
export async function channelMeans(
  tf: Tf,
  loaded: LoadedModel,
  layer: string,
  images: readonly PixelImage[],
): Promise<Float32Array[]> {
  const { height, width, channels } = loaded.manifest.inputSize;
  const size = height * width * channels;
  const batch = new Float32Array(images.length * size);
  images.forEach((image, i) => {
    checkInputSize(loaded.manifest, image);
    batch.set(image.data, i * size);
  });
  const means = tf.tidy(() => {
    const output = layerActivations(
      tf,
      loaded,
      layer,
      pixelBatchToInput(tf, loaded.manifest, batch, images.length),
    );
    const perImage = tf.reshape(output, [images.length, -1, output.shape[output.shape.length - 1]!]);
    return tf.mean(perImage, 1) as Tensor;
  });
  const data = (await means.data()) as Float32Array;
  const count = means.shape[1]!;
  means.dispose();
  return images.map((_, i) => data.slice(i * count, (i + 1) * count));
}

export interface BestImages {
  /** Per channel, the largest mean activation over the set. */
  values: Float32Array;
  /** Per channel, the image that reached it (the first on ties). */
  imageIds: string[];
  imagesSeen: number;
}

/** The best image of a set for every channel of a layer: one forward pass per batch for all channels. */
export async function bestImagesPerChannel(
  tf: Tf,
  loaded: LoadedModel,
  layer: string,
  source: ImageSource,
  options: { batchSize?: number; onProgress?: (done: number) => void; signal?: AbortSignal } = {},
): Promise<BestImages> {
  const batchSize = options.batchSize ?? 16;
  let values: Float32Array | undefined;
  let imageIds: string[] = [];
  let seen = 0;
  let pending: { id: string; pixels: PixelImage }[] = [];
  const flush = async () => {
    const means = await channelMeans(
      tf,
      loaded,
      layer,
      pending.map((p) => p.pixels),
    );
    means.forEach((row, i) => {
      if (!values) {
        values = Float32Array.from(row);
        imageIds = Array(row.length).fill(pending[i].id);
        return;
      }
      for (let c = 0; c < row.length; c++) {
        if (row[c] > values[c]) {
          values[c] = row[c];
          imageIds[c] = pending[i].id;
        }
      }
    });
    seen += pending.length;
    pending = [];
    options.onProgress?.(seen);
  };
  for await (const image of source) {
    options.signal?.throwIfAborted();
    pending.push(image);
    if (pending.length === batchSize) await flush();
  }
  if (pending.length > 0) await flush();
  if (!values) throw new Error('the image set is empty');
  return { values, imageIds, imagesSeen: seen };
}

/** How much more the image excites its channel than the mean of the layer's other channels. */
export function selectivity(means: Float32Array, channel: number): number {
  let others = 0;
  for (let c = 0; c < means.length; c++) if (c !== channel) others += means[c];
  return means[channel] / (others / Math.max(1, means.length - 1));
}
