// Convolution kernels as pictures, and how alike a layer's filters are.
import type { LoadedModel } from '@/lib/models/types';
import type { FilterSimilarity, SimilarFilters } from '@/lib/protocol/results';
import type { Tf } from '@/lib/tf';
import type { RgbaTile } from './image';

export type { FilterSimilarity, SimilarFilters };

export type FilterLayerKind = 'conv2d' | 'depthwise-conv2d';

/** A layer's kernels, filter-major: filter f occupies [f*size, (f+1)*size), laid out (ky, kx, inChannel). */
export interface FilterBank {
  layer: string;
  kind: FilterLayerKind;
  kernelHeight: number;
  kernelWidth: number;
  /** Input channels one filter sees (1 for depthwise filters). */
  inChannels: number;
  count: number;
  weights: Float32Array;
}

const FILTER_CLASSES: Record<string, FilterLayerKind> = {
  Conv2D: 'conv2d',
  DepthwiseConv2D: 'depthwise-conv2d',
};

/** Names of the layers with spatial kernels, in model order. */
export function convLayerNames(loaded: LoadedModel): string[] {
  return loaded.model.layers.filter((l) => l.getClassName() in FILTER_CLASSES).map((l) => l.name);
}

function filterSize(bank: FilterBank): number {
  return bank.kernelHeight * bank.kernelWidth * bank.inChannels;
}

export function filterWeights(bank: FilterBank, filter: number): Float32Array {
  const size = filterSize(bank);
  return bank.weights.subarray(filter * size, (filter + 1) * size);
}

/** Async: a GPU backend cannot read tensors synchronously in every host (WebGPU in Node cannot at all). */
export async function readFilterBank(tf: Tf, loaded: LoadedModel, layerName: string): Promise<FilterBank> {
  const layer = loaded.model.getLayer(layerName);
  const kind = FILTER_CLASSES[layer.getClassName()];
  if (!kind) throw new Error(`layer ${layerName} (${layer.getClassName()}) has no convolution kernels`);
  const kernel = layer.getWeights()[0];
  const [kh, kw, inCh, out] = kernel.shape;
  // Depthwise output channel c*multiplier+m is input channel c filtered by kernel[..., c, m].
  const weights = tf.tidy(() =>
    kind === 'conv2d' ? tf.transpose(kernel, [3, 0, 1, 2]) : tf.transpose(kernel, [2, 3, 0, 1]),
  );
  const data = (await weights.data()) as Float32Array;
  weights.dispose();
  return {
    layer: layerName,
    kind,
    kernelHeight: kh,
    kernelWidth: kw,
    inChannels: kind === 'conv2d' ? inCh : 1,
    count: kind === 'conv2d' ? out : inCh * out,
    weights: Float32Array.from(data),
  };
}

export type TileNormalization = 'per-filter' | 'shared';

interface Range {
  min: number;
  max: number;
}

function rangeOf(values: ArrayLike<number>): Range {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    if (values[i] < min) min = values[i];
    if (values[i] > max) max = values[i];
  }
  return { min, max };
}

function toByte(value: number, range: Range): number {
  const span = range.max - range.min;
  return span > 0 ? Math.round(((value - range.min) / span) * 255) : 128;
}

/** Draws kh x kw values, one or three per pixel, as an RGBA tile. */
function drawTile(
  values: ArrayLike<number>,
  height: number,
  width: number,
  channels: number,
  range: Range,
): RgbaTile {
  const data = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++)
      data[p * 4 + c] = toByte(values[p * channels + (channels === 3 ? c : 0)], range);
    data[p * 4 + 3] = 255;
  }
  return { height, width, data };
}

/**
 * First-layer filters as colour tiles (grey for one input channel). 'per-filter' stretches each
 * filter's own min..max to 0..255; 'shared' uses the layer's min..max, so contrast compares across filters.
 */
export function renderColourFilters(bank: FilterBank, normalization: TileNormalization): RgbaTile[] {
  if (bank.inChannels !== 3 && bank.inChannels !== 1) {
    throw new Error(`colour tiles need 1 or 3 input channels, ${bank.layer} has ${bank.inChannels}`);
  }
  const shared = rangeOf(bank.weights);
  return Array.from({ length: bank.count }, (_, f) => {
    const w = filterWeights(bank, f);
    return drawTile(
      w,
      bank.kernelHeight,
      bank.kernelWidth,
      bank.inChannels,
      normalization === 'shared' ? shared : rangeOf(w),
    );
  });
}

/** Each filter averaged over its input channels, as kh x kw planes. */
export function meanOverInputChannels(bank: FilterBank): Float32Array[] {
  const pixels = bank.kernelHeight * bank.kernelWidth;
  return Array.from({ length: bank.count }, (_, f) => {
    const w = filterWeights(bank, f);
    const plane = new Float32Array(pixels);
    for (let p = 0; p < pixels; p++) {
      let sum = 0;
      for (let c = 0; c < bank.inChannels; c++) sum += w[p * bank.inChannels + c];
      plane[p] = sum / bank.inChannels;
    }
    return plane;
  });
}

/** Grey tiles of each filter averaged over its input channels. */
export function renderMeanTiles(bank: FilterBank, normalization: TileNormalization): RgbaTile[] {
  const planes = meanOverInputChannels(bank);
  const shared = rangeOf(planes.flatMap((p) => Array.from(p)));
  return planes.map((plane) =>
    drawTile(
      plane,
      bank.kernelHeight,
      bank.kernelWidth,
      1,
      normalization === 'shared' ? shared : rangeOf(plane),
    ),
  );
}

export interface PreferredInputs {
  /** Per filter, w/‖w‖ in the bank's layout (zeros for an all-zero filter). */
  inputs: Float32Array[];
  /** The same, drawn with 0 as mid-grey and one scale for all filters (the largest |x|). */
  tiles: RgbaTile[];
}

/**
 * For a first-layer filter (linear before its bias and activation), the unit-norm input patch
 * that fires it most is x = w/‖w‖ (Cauchy–Schwarz). The preprocessing is a per-pixel affine map
 * with one scale for all channels, so the same direction is the best patch in pixel space too.
 */
export function preferredInputs(bank: FilterBank): PreferredInputs {
  const inputs = Array.from({ length: bank.count }, (_, f) => {
    const w = filterWeights(bank, f);
    let norm = 0;
    for (let i = 0; i < w.length; i++) norm += w[i] * w[i];
    norm = Math.sqrt(norm);
    return norm > 0 ? w.map((v) => v / norm) : new Float32Array(w.length);
  });
  let peak = 0;
  for (const x of inputs) for (let i = 0; i < x.length; i++) peak = Math.max(peak, Math.abs(x[i]));
  const range = { min: -peak, max: peak };
  const drawable = bank.inChannels === 3 || bank.inChannels === 1;
  const tiles = drawable
    ? inputs.map((x) => drawTile(x, bank.kernelHeight, bank.kernelWidth, bank.inChannels, range))
    : [];
  return { inputs, tiles };
}

/** Cosine similarity between a layer's filters, each flattened to one vector. */
export async function filterSimilarity(tf: Tf, bank: FilterBank, threshold = 0.9): Promise<FilterSimilarity> {
  const n = bank.count;
  const product = tf.tidy(() => {
    const w = tf.tensor2d(bank.weights, [n, filterSize(bank)]);
    const norms = tf.norm(w, 'euclidean', 1, true);
    const unit = tf.div(w, tf.maximum(norms, 1e-12));
    return tf.matMul(unit, unit, false, true);
  });
  const matrix = Float32Array.from(await product.data());
  product.dispose();
  return {
    count: n,
    matrix,
    threshold,
    nearDuplicates: nearDuplicates(matrix, n, threshold),
    order: similarityOrder(matrix, n),
  };
}

export function nearDuplicates(matrix: Float32Array, n: number, threshold: number): SimilarFilters[] {
  const pairs: SimilarFilters[] = [];
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const cosine = matrix[i * n + j];
      if (Math.abs(cosine) >= threshold) pairs.push({ i, j, cosine });
    }
  }
  return pairs.sort((a, b) => Math.abs(b.cosine) - Math.abs(a.cosine) || a.i - b.i || a.j - b.j);
}

/**
 * Greedy nearest-neighbour chain: start from the most similar pair, then keep attaching the
 * unplaced filter most similar to either end of the chain. O(n²), good enough for 1,024 filters.
 */
export function similarityOrder(matrix: Float32Array, n: number): number[] {
  if (n <= 2) return Array.from({ length: n }, (_, i) => i);
  let best = { i: 0, j: 1, s: Number.NEGATIVE_INFINITY };
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) if (matrix[i * n + j] > best.s) best = { i, j, s: matrix[i * n + j] };
  }
  const placed = new Uint8Array(n);
  placed[best.i] = 1;
  placed[best.j] = 1;
  const chain = [best.i, best.j];
  while (chain.length < n) {
    const head = chain[0];
    const tail = chain[chain.length - 1];
    let pick = { k: -1, s: Number.NEGATIVE_INFINITY, atHead: false };
    for (let k = 0; k < n; k++) {
      if (placed[k]) continue;
      if (matrix[tail * n + k] > pick.s) pick = { k, s: matrix[tail * n + k], atHead: false };
      if (matrix[head * n + k] > pick.s) pick = { k, s: matrix[head * n + k], atHead: true };
    }
    placed[pick.k] = 1;
    if (pick.atHead) chain.unshift(pick.k);
    else chain.push(pick.k);
  }
  return chain;
}
