// Class probabilities from a model, whether its last layer is a softmax or raw logits.

import type { Tensor2D } from '@tensorflow/tfjs';
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';

/** [N, classes] probabilities for an input batch; softmax is applied for logits models. */
export function classProbabilities(tf: Tf, loaded: LoadedModel, input: Tensor): Tensor2D {
  return tf.tidy(() => {
    const output = loaded.model.predict(input) as Tensor;
    const flat = tf.reshape(output, [output.shape[0], -1]) as Tensor2D;
    return loaded.manifest.output === 'logits' ? tf.softmax(flat) : flat;
  });
}

export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
