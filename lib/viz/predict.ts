// Class probabilities from a model, whether its last layer is a softmax or raw logits.

import type { Tensor2D } from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';
import type { PixelImage } from './image';
import { checkInputSize, pixelBatchToInput } from './input';

/** [N, classes] probabilities for an input batch; softmax is applied for logits models. */
export function classProbabilities(tf: Tf, loaded: LoadedModel, input: Tensor): Tensor2D {
  return tf.tidy(() => {
    const output = loaded.model.predict(input) as Tensor;
    const flat = tf.reshape(output, [output.shape[0], -1]) as Tensor2D;
    return loaded.manifest.output === 'logits' ? tf.softmax(flat) : flat;
  });
}

/** Class probabilities, row-major [batch, classes], for pixel images drawn into one HWC buffer. */
export async function classProbabilityBatch(
  tf: Tf,
  loaded: LoadedModel,
  pixels: Float32Array,
  batch: number,
): Promise<{ probs: Float32Array; classes: number }> {
  const probs = tf.tidy(() =>
    classProbabilities(tf, loaded, pixelBatchToInput(tf, loaded.manifest, pixels, batch)),
  );
  try {
    return { probs: (await probs.data()) as Float32Array, classes: probs.shape[1] };
  } finally {
    probs.dispose();
  }
}

/** Class probabilities of one image. */
export async function predictImage(tf: Tf, loaded: LoadedModel, image: PixelImage): Promise<Float32Array> {
  checkInputSize(loaded.manifest, image);
  const { probs } = await classProbabilityBatch(tf, loaded, Float32Array.from(image.data), 1);
  return Float32Array.from(probs);
}

export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
