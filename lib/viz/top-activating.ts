// "Neurons that fire": the images that drive each channel of a layer hardest, and where.
import type { Tensor2D } from '@tensorflow/tfjs';
import type { Box, LoadedModel } from '@/lib/models/types';
import type { ChannelTopActivations, TopActivatingResult, TopActivation } from '@/lib/protocol/results';
import type { Tensor, Tf } from '@/lib/tf';
import { layerActivations, spatialShape } from './activations';
import type { PixelImage } from './image';
import { checkInputSize, pixelBatchToInput } from './input';
import { layerReceptiveFields, neuronReceptiveField } from './receptive-field';
import { TopK } from './top-k';

export type { ChannelTopActivations, TopActivatingResult, TopActivation };

/** One image of a set, already decoded and resized to the model's input size. */
export interface SourceImage {
  id: string;
  pixels: PixelImage;
}

export type ImageSource = AsyncIterable<SourceImage> | Iterable<SourceImage>;

export interface TopActivatingOptions {
  layer: string;
  /** Channels to rank; all of the layer's channels when omitted. */
  channels?: readonly number[];
  k: number;
  /** Images per forward pass. */
  batchSize?: number;
  /** Receptive field of each kept position; the exact fields of the layer graph (layerReceptiveFieldOf) by default. */
  receptiveFieldOf?: ReceptiveFieldOf;
  /** Size of the image set, if known, for progress reports. */
  total?: number;
  onProgress?: (progress: { done: number; total?: number }) => void;
  signal?: AbortSignal;
}

/** Maps a neuron position of the layer to its receptive field in input pixels. */
export type ReceptiveFieldOf = (y: number, x: number) => { box: Box; clippedBox: Box };

/** Receptive fields of `layer` from the model's layer graph (lib/viz/receptive-field.ts). */
export function layerReceptiveFieldOf(loaded: LoadedModel, layer: string): ReceptiveFieldOf {
  const fields = layerReceptiveFields(loaded.layers);
  // Exact boxes walk the graph (milliseconds each); many kept entries share a position.
  const byPosition = new Map<number, ReturnType<ReceptiveFieldOf>>();
  return (y, x) => {
    const key = y * 65536 + x;
    let field = byPosition.get(key);
    if (!field) {
      const { box, clipped } = neuronReceptiveField(loaded.layers, { layer, y, x }, fields);
      field = { box, clippedBox: clipped };
      byPosition.set(key, field);
    }
    return { box: [...field.box], clippedBox: [...field.clippedBox] };
  };
}

interface Candidate {
  value: number;
  order: number;
  position: number;
}

const DEFAULT_BATCH = 16;

/** Per image and channel: the maximum over positions and the flat position of its first occurrence. */
function channelMaxima(
  tf: Tf,
  loaded: LoadedModel,
  layer: string,
  input: Tensor,
  channels: readonly number[] | undefined,
): { max: Tensor2D; at: Tensor2D } {
  return tf.tidy(() => {
    const out = layerActivations(tf, loaded, layer, input);
    const c = out.shape[out.shape.length - 1];
    let flat = tf.reshape(out, [out.shape[0], -1, c]);
    if (channels) flat = tf.gather(flat, tf.tensor1d(channels as number[], 'int32'), 2);
    return { max: tf.max(flat, 1) as Tensor2D, at: tf.argMax(flat, 1) as Tensor2D };
  });
}

export async function* batches(source: ImageSource, size: number): AsyncGenerator<SourceImage[]> {
  let batch: SourceImage[] = [];
  for await (const image of source) {
    batch.push(image);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * Runs every image through the network once per batch, one forward pass serving all channels,
 * and keeps the k images with the highest per-channel maximum.
 */
export async function topActivating(
  tf: Tf,
  loaded: LoadedModel,
  source: ImageSource,
  options: TopActivatingOptions,
): Promise<TopActivatingResult> {
  const receptiveFieldOf = options.receptiveFieldOf ?? layerReceptiveFieldOf(loaded, options.layer);
  const outputShape = loaded.model.getLayer(options.layer).outputShape as (number | null)[];
  const [height, width, layerChannels] = spatialShape(outputShape);
  const channels = options.channels ?? Array.from({ length: layerChannels }, (_, i) => i);
  for (const c of channels) {
    if (!(Number.isInteger(c) && c >= 0 && c < layerChannels)) {
      throw new RangeError(`channel ${c} is outside ${options.layer}'s ${layerChannels} channels`);
    }
  }
  const heaps = channels.map(() => new TopK<Candidate>(options.k));
  const ids: string[] = [];
  const inputSize = loaded.manifest.inputSize;
  const imageSize = inputSize.height * inputSize.width * inputSize.channels;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const buffer = new Float32Array(batchSize * imageSize);

  options.signal?.throwIfAborted();
  for await (const batch of batches(source, batchSize)) {
    options.signal?.throwIfAborted();
    batch.forEach((image, i) => {
      checkInputSize(loaded.manifest, image.pixels);
      buffer.set(image.pixels.data, i * imageSize);
    });
    const { max, at } = tf.tidy(() =>
      channelMaxima(
        tf,
        loaded,
        options.layer,
        pixelBatchToInput(tf, loaded.manifest, buffer.subarray(0, batch.length * imageSize), batch.length),
        options.channels,
      ),
    );
    let values: Float32Array;
    let positions: Int32Array;
    try {
      [values, positions] = (await Promise.all([max.data(), at.data()])) as [Float32Array, Int32Array];
    } finally {
      max.dispose();
      at.dispose();
    }
    for (let i = 0; i < batch.length; i++) {
      const order = ids.length;
      ids.push(batch[i].id);
      for (let c = 0; c < channels.length; c++) {
        const value = values[i * channels.length + c];
        if (heaps[c].admits(value))
          heaps[c].push({ value, order, position: positions[i * channels.length + c] });
      }
    }
    options.onProgress?.({ done: ids.length, total: options.total });
  }

  return {
    layer: options.layer,
    k: options.k,
    height,
    width,
    imagesSeen: ids.length,
    channels: channels.map((channel, c) => ({
      channel,
      top: heaps[c].sorted().map(({ value, order, position }) => {
        const y = Math.floor(position / width);
        const x = position % width;
        return { imageId: ids[order], value, y, x, ...receptiveFieldOf(y, x) };
      }),
    })),
  };
}
