// The activation atlas: one pass over an image set ranks, for every layer with a spatial output and
// every channel, the k images that drive it hardest, with where. Each forward pass serves all layers
// (atlas-forward.ts); per channel only a bounded heap is kept, nothing per image, so memory stays
// bounded however large the set. Any layer/channel is then answered from it in milliseconds.
import type { LoadedModel } from '@/lib/models/types';
import type { TopActivatingResult } from '@/lib/protocol/results';
import type { Tensor, Tf } from '@/lib/tf';
import { layerWalker } from './atlas-forward';
import { checkInputSize, pixelBatchToInput } from './input';
import { batches, type ImageSource, type ReceptiveFieldOf } from './top-activating';
import { ChannelTopK } from './top-k';

export interface AtlasLayer {
  name: string;
  /** The layer's output grid and channels. */
  height: number;
  width: number;
  channels: number;
  /** Per channel, how many of its k slots hold an image. */
  count: Int32Array;
  /** channels·k slots, channel-major, best first: the channel's maximum over the image, */
  value: Float32Array;
  /** the image (an index into ActivationAtlas.imageIds), */
  image: Int32Array;
  /** and where the maximum is, y·width + x (first position on ties). */
  position: Int32Array;
}

export interface ActivationAtlas {
  k: number;
  imagesSeen: number;
  /** The images some slot holds, nothing else. */
  imageIds: string[];
  layers: AtlasLayer[];
}

export interface AtlasOptions {
  /** Images kept per channel. */
  k: number;
  /** Layers to rank; every layer with a spatial output when omitted. */
  layers?: readonly string[];
  /** Images per forward pass. */
  batchSize?: number;
  /** Size of the image set, if known, for progress reports. */
  total?: number;
  onProgress?: (progress: { done: number; total?: number }) => void;
  signal?: AbortSignal;
  /**
   * An unfinished atlas (same k) to continue: `source` then holds the images after its imagesSeen. A
   * long build runs as short steps, so a worker is free between them for more urgent jobs.
   */
  resume?: ActivationAtlas;
  /** Return after the batch during which this much time has passed; imagesSeen says where to continue. */
  stopAfterMs?: number;
}

const DEFAULT_BATCH = 16;
/** Batches between two prunings of the ids no heap holds. */
const PRUNE_EVERY = 64;

/** Layers with a spatial output (height × width × channels), the input excepted, in model order. */
export function spatialLayers(loaded: LoadedModel): string[] {
  return loaded.layers.filter((l) => l.kind !== 'input' && l.outputShape.length === 3).map((l) => l.name);
}

/** A layer's heaps while the atlas is built. */
interface LayerHeaps {
  name: string;
  height: number;
  width: number;
  channels: number;
  /** Null for a channel concatenation of ranked layers: its entries are theirs, in order (`parts`). */
  heaps: ChannelTopK | null;
  parts?: string[];
}

/**
 * Concatenations along channels of layers that are ranked too (SqueezeNet's fire modules): each channel
 * is a copy of an input's channel, so its maxima, positions and ranking are the input's, and nothing needs
 * computing. By name, their inputs in channel order.
 */
function channelConcatenations(loaded: LoadedModel, ranked: ReadonlySet<string>): Map<string, string[]> {
  const byName = new Map(loaded.layers.map((l) => [l.name, l]));
  const found = new Map<string, string[]>();
  for (const info of loaded.layers) {
    if (info.kind !== 'concatenate' || !ranked.has(info.name) || info.inbound.length === 0) continue;
    const [height, width, channels] = info.outputShape;
    const inputs = info.inbound.map((name) => byName.get(name));
    const alongChannels =
      inputs.every(
        (input) =>
          input &&
          ranked.has(input.name) &&
          input.outputShape.length === 3 &&
          input.outputShape[0] === height &&
          input.outputShape[1] === width,
      ) && inputs.reduce((sum, input) => sum + input!.outputShape[2], 0) === channels;
    if (alongChannels) found.set(info.name, [...info.inbound]);
  }
  return found;
}

/**
 * Positions of the maximum of (element, channel) pairs of a [batch, h, w, c] output. Many pairs: one
 * argMax over the whole output; a few (the usual case once the heaps are full): only their channel
 * maps, gathered.
 */
async function maximumPositions(
  tf: Tf,
  output: Tensor,
  pairs: readonly number[],
  channels: number,
): Promise<Int32Array> {
  const [batch, height, width] = output.shape as number[];
  const cells = height * width;
  if (pairs.length * 8 >= batch * channels) {
    // argMax keeps the first position on ties, as topActivating does (max-pool-with-argmax keeps the last).
    const at = tf.tidy(() => tf.argMax(tf.reshape(output, [batch, cells, channels]), 1));
    const all = (await at.data()) as Int32Array;
    at.dispose();
    return Int32Array.from(pairs, (pair) => all[pair]);
  }
  const indices = new Int32Array(pairs.length * cells * 3);
  pairs.forEach((pair, n) => {
    const b = Math.floor(pair / channels);
    const c = pair % channels;
    for (let p = 0, at = n * cells * 3; p < cells; p++, at += 3) {
      indices[at] = b;
      indices[at + 1] = p;
      indices[at + 2] = c;
    }
  });
  const positions = tf.tidy(() =>
    tf.argMax(
      tf.gatherND(
        tf.reshape(output, [batch, cells, channels]),
        tf.tensor3d(indices, [pairs.length, cells, 3], 'int32'),
      ),
      1,
    ),
  );
  const result = (await positions.data()) as Int32Array;
  positions.dispose();
  return Int32Array.from(result);
}

/** Ranks one layer's output of a batch into its heaps; `orders` are the batch's arrival orders. */
async function rankLayer(
  tf: Tf,
  layer: LayerHeaps,
  output: Tensor,
  orders: readonly number[],
): Promise<void> {
  const { channels, height, width } = layer;
  const heaps = layer.heaps!;
  const maxima = tf.tidy(() =>
    tf.maxPool(output as Parameters<Tf['maxPool']>[0], [height, width], [height, width], 'valid'),
  );
  const values = (await maxima.data()) as Float32Array;
  maxima.dispose();
  // Pairs that could enter a heap: the heaps only get harder to enter while the batch is pushed.
  const pairs: number[] = [];
  for (let i = 0; i < values.length; i++) if (heaps.admits(i % channels, values[i])) pairs.push(i);
  if (pairs.length === 0) return;
  const positions = await maximumPositions(tf, output, pairs, channels);
  pairs.forEach((pair, n) => {
    heaps.push(pair % channels, values[pair], orders[Math.floor(pair / channels)], positions[n]);
  });
}

/**
 * Runs every image through the network once per batch; each batch's forward pass ranks all layers.
 * Same ranking as topActivating per layer: the channel's maximum over the image, first position on
 * ties, earlier images first among equal values.
 */
export async function buildAtlas(
  tf: Tf,
  loaded: LoadedModel,
  source: ImageSource,
  options: AtlasOptions,
): Promise<ActivationAtlas> {
  const { resume } = options;
  if (resume && resume.k !== options.k)
    throw new RangeError(`cannot resume an atlas of k ${resume.k} with k ${options.k}`);
  const names = resume?.layers.map((l) => l.name) ?? options.layers ?? spatialLayers(loaded);
  const byName = new Map(loaded.layers.map((l) => [l.name, l]));
  for (const name of names) {
    if (byName.get(name)?.outputShape.length !== 3) {
      throw new RangeError(`layer "${name}" has no spatial output`);
    }
  }
  const concatenations = channelConcatenations(loaded, new Set(names));
  const layers: LayerHeaps[] = names.map((name) => {
    const [height, width, channels] = byName.get(name)!.outputShape;
    const parts = concatenations.get(name);
    if (parts) return { name, height, width, channels, heaps: null, parts };
    return { name, height, width, channels, heaps: new ChannelTopK(channels, options.k) };
  });
  const byLayer = new Map(layers.map((l) => [l.name, l]));
  const wanted = new Set(names.filter((name) => !concatenations.has(name)));
  const walker = layerWalker(tf, loaded);
  const inputSize = loaded.manifest.inputSize;
  const imageSize = inputSize.height * inputSize.width * inputSize.channels;
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const buffer = new Float32Array(batchSize * imageSize);
  // Ids of images some heap may still hold; pruned to the ones kept at the end.
  const ids = new Map<number, string>();
  let seen = 0;
  let nextOrder = 0;
  if (resume) {
    seedHeaps(resume, layers);
    for (const [i, id] of resume.imageIds.entries()) ids.set(i, id);
    seen = resume.imagesSeen;
    nextOrder = resume.imageIds.length;
  }
  const started = performance.now();
  let batchesRun = 0;

  options.signal?.throwIfAborted();
  for await (const batch of batches(source, batchSize)) {
    options.signal?.throwIfAborted();
    batch.forEach((image, i) => {
      checkInputSize(loaded.manifest, image.pixels);
      buffer.set(image.pixels.data, i * imageSize);
    });
    const orders = batch.map((image) => {
      ids.set(nextOrder, image.id);
      return nextOrder++;
    });
    const input = tf.tidy(() =>
      pixelBatchToInput(tf, loaded.manifest, buffer.subarray(0, batch.length * imageSize), batch.length),
    );
    try {
      await walker.walk(input, wanted, (name, output) => rankLayer(tf, byLayer.get(name)!, output, orders));
    } finally {
      input.dispose();
    }
    seen += batch.length;
    if (++batchesRun % PRUNE_EVERY === 0) pruneIds(ids, layers);
    options.onProgress?.({ done: seen, total: options.total });
    if (options.stopAfterMs !== undefined && performance.now() - started >= options.stopAfterMs) break;
  }
  return finishAtlas(options.k, seen, ids, layers);
}

/** Puts an unfinished atlas's entries back into heaps; orders are image indices, so ties keep their order. */
function seedHeaps(resume: ActivationAtlas, layers: readonly LayerHeaps[]): void {
  resume.layers.forEach((saved, l) => {
    const { heaps } = layers[l];
    if (!heaps) return;
    if (saved.channels !== heaps.channels) {
      throw new RangeError(
        `the atlas's ${saved.name} has ${saved.channels} channels, the model ${heaps.channels}`,
      );
    }
    for (let c = 0; c < saved.channels; c++) {
      for (let i = 0; i < saved.count[c]; i++) {
        const slot = c * resume.k + i;
        heaps.push(c, saved.value[slot], saved.image[slot], saved.position[slot]);
      }
    }
  });
}

/** Drops the ids no heap holds any more. */
function pruneIds(ids: Map<number, string>, layers: readonly LayerHeaps[]): void {
  const held = new Set<number>();
  for (const { heaps } of layers) {
    if (!heaps) continue;
    for (let c = 0; c < heaps.channels; c++) {
      for (let i = 0; i < heaps.size[c]; i++) held.add(heaps.order[c * heaps.k + i]);
    }
  }
  for (const order of ids.keys()) if (!held.has(order)) ids.delete(order);
}

function finishAtlas(
  k: number,
  seen: number,
  ids: Map<number, string>,
  layers: LayerHeaps[],
): ActivationAtlas {
  pruneIds(ids, layers);
  const orders = [...ids.keys()].sort((a, b) => a - b);
  const indexOf = new Map(orders.map((order, i) => [order, i]));
  const finished = new Map<string, AtlasLayer>();
  for (const { name, height, width, channels, heaps } of layers) {
    if (!heaps) continue;
    finished.set(name, finishLayer(k, indexOf, { name, height, width, channels, heaps }));
  }
  return {
    k,
    imagesSeen: seen,
    imageIds: orders.map((order) => ids.get(order)!),
    layers: layers.map((layer) => finished.get(layer.name) ?? concatenated(layer, finished)),
  };
}

/** A channel concatenation's entries: its inputs', channel after channel. */
function concatenated(layer: LayerHeaps, finished: ReadonlyMap<string, AtlasLayer>): AtlasLayer {
  const parts = layer.parts!.map((name) => finished.get(name)!);
  const join = <T extends Int32Array | Float32Array>(
    pick: (part: AtlasLayer) => T,
    make: (n: number) => T,
  ) => {
    const out = make(parts.reduce((sum, part) => sum + pick(part).length, 0));
    let at = 0;
    for (const part of parts) {
      out.set(pick(part), at);
      at += pick(part).length;
    }
    return out;
  };
  return {
    name: layer.name,
    height: layer.height,
    width: layer.width,
    channels: layer.channels,
    count: join(
      (p) => p.count,
      (n) => new Int32Array(n),
    ),
    value: join(
      (p) => p.value,
      (n) => new Float32Array(n),
    ),
    image: join(
      (p) => p.image,
      (n) => new Int32Array(n),
    ),
    position: join(
      (p) => p.position,
      (n) => new Int32Array(n),
    ),
  };
}

function finishLayer(
  k: number,
  indexOf: ReadonlyMap<number, number>,
  { name, height, width, channels, heaps }: LayerHeaps & { heaps: ChannelTopK },
): AtlasLayer {
  const count = new Int32Array(channels);
  const value = new Float32Array(channels * k);
  const image = new Int32Array(channels * k).fill(-1);
  const position = new Int32Array(channels * k);
  for (let c = 0; c < channels; c++) {
    const slots = heaps.sorted(c);
    count[c] = slots.length;
    slots.forEach((slot, i) => {
      value[c * k + i] = heaps.value[slot];
      image[c * k + i] = indexOf.get(heaps.order[slot])!;
      position[c * k + i] = heaps.position[slot];
    });
  }
  return { name, height, width, channels, count, value, image, position };
}

export interface AtlasQuery {
  layer: string;
  /** All of the layer's channels when omitted. */
  channels?: readonly number[];
  /** At most the atlas's k; the atlas's k when omitted. */
  k?: number;
}

/** The top-activating images of some channels of a layer, read from the atlas: topActivating's result. */
export function queryAtlas(
  atlas: ActivationAtlas,
  query: AtlasQuery,
  receptiveFieldOf: ReceptiveFieldOf,
): TopActivatingResult {
  const layer = atlas.layers.find((l) => l.name === query.layer);
  if (!layer) throw new RangeError(`the atlas has no layer "${query.layer}"`);
  const k = query.k ?? atlas.k;
  if (!(Number.isInteger(k) && k >= 1 && k <= atlas.k)) {
    throw new RangeError(`k must be in 1..${atlas.k} for this atlas, got ${k}`);
  }
  const channels = query.channels ?? Array.from({ length: layer.channels }, (_, i) => i);
  return {
    layer: layer.name,
    k,
    height: layer.height,
    width: layer.width,
    imagesSeen: atlas.imagesSeen,
    channels: channels.map((channel) => {
      if (!(Number.isInteger(channel) && channel >= 0 && channel < layer.channels)) {
        throw new RangeError(`channel ${channel} is outside ${layer.name}'s ${layer.channels} channels`);
      }
      const base = channel * atlas.k;
      const top = Array.from({ length: Math.min(k, layer.count[channel]) }, (_, i) => {
        const position = layer.position[base + i];
        const y = Math.floor(position / layer.width);
        const x = position % layer.width;
        return {
          imageId: atlas.imageIds[layer.image[base + i]],
          value: layer.value[base + i],
          y,
          x,
          ...receptiveFieldOf(y, x),
        };
      });
      return { channel, top };
    }),
  };
}
