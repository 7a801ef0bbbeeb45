// Occlusion sensitivity: slide a patch over the image and watch the class probability drop.
import type { LoadedModel } from '@/lib/models/types';
import { fnv1a32Bytes } from '@/lib/protocol/hash';
import { gridCells } from '@/lib/protocol/occlusion-grid';
import type { OcclusionMap } from '@/lib/protocol/results';
import type { Tf } from '@/lib/tf';
import type { PixelImage } from './image';
import { IncrementalOcclusion, type PatchPosition } from './incremental/executor';
import { checkInputSize, pixelBatchToInput } from './input';
import { type FillSource, fillSource, type OcclusionFill, writeOccluded } from './occlusion-fill';
import { argMax, classProbabilities } from './predict';

export type { OcclusionFill } from './occlusion-fill';
export type { OcclusionMap };
export { gridCells };

export type OcclusionMethod = 'batched' | 'incremental';

export interface OcclusionOptions {
  patch: number;
  stride: number;
  fill?: OcclusionFill;
  /** Class to watch; the clean image's top prediction when omitted. */
  classIndex?: number;
  /** Occluded images per forward pass. */
  batchSize?: number;
  /**
   * 'batched' runs the whole network on every occluded image; 'incremental' recomputes only what
   * each patch changes, reusing the clean image's activations (same values to float rounding).
   */
  method?: OcclusionMethod;
  /** Compute this coarser grid first and hand it to onCoarse (cells it shares with the full grid are reused). */
  coarseStride?: number;
  onCoarse?: (map: OcclusionMap) => void;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

const DEFAULT_BATCH = 16;

/** Probability of `classIndex` (or of each class) for pixel images drawn into a batch buffer. */
async function classProbabilityBatch(
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

/** Class probabilities of the clean image. */
export async function predictImage(tf: Tf, loaded: LoadedModel, image: PixelImage): Promise<Float32Array> {
  checkInputSize(loaded.manifest, image);
  const { probs } = await classProbabilityBatch(tf, loaded, Float32Array.from(image.data), 1);
  return Float32Array.from(probs);
}

type Position = PatchPosition;

/** Class probabilities [count, classes] with a patch at each of a batch of positions. */
type BatchProbe = (positions: Position[]) => Promise<{ probs: Float32Array; classes: number }>;

/** The whole network on each occluded image, filled in one JS buffer per batch. */
function fullProbe(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  source: FillSource,
  patch: number,
): BatchProbe {
  const imageSize = image.data.length;
  let buffer = new Float32Array(0);
  return (positions) => {
    if (buffer.length < positions.length * imageSize) buffer = new Float32Array(positions.length * imageSize);
    positions.forEach(({ y, x }, i) => {
      writeOccluded(buffer, i * imageSize, image, source, y, x, patch);
    });
    return classProbabilityBatch(
      tf,
      loaded,
      buffer.subarray(0, positions.length * imageSize),
      positions.length,
    );
  };
}

function incrementalProbe(engine: IncrementalOcclusion, source: FillSource, patch: number): BatchProbe {
  return async (positions) => {
    const probs = engine.probabilities(positions, patch, source);
    try {
      return { probs: (await probs.data()) as Float32Array, classes: probs.shape[1]! };
    } finally {
      probs.dispose();
    }
  };
}

/** Probability of the class with a patch at each position, `batchSize` positions per probe. */
async function occludedProbabilities(
  probe: BatchProbe,
  positions: Position[],
  classIndex: number,
  options: Pick<OcclusionOptions, 'batchSize' | 'signal'> & { onBatch?: (done: number) => void },
): Promise<Float32Array> {
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH);
  const result = new Float32Array(positions.length);
  for (let start = 0; start < positions.length; start += batchSize) {
    options.signal?.throwIfAborted();
    const batch = positions.slice(start, start + batchSize);
    const { probs, classes } = await probe(batch);
    for (let i = 0; i < batch.length; i++) result[start + i] = probs[i * classes + classIndex];
    options.onBatch?.(start + batch.length);
  }
  return result;
}

function gridPositions(rows: number, cols: number, stride: number): Position[] {
  const positions: Position[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) positions.push({ y: r * stride, x: c * stride });
  return positions;
}

function toMap(
  rows: number,
  cols: number,
  patch: number,
  stride: number,
  classIndex: number,
  baseProb: number,
  prob: Float32Array,
): OcclusionMap {
  const drop = prob.map((p) => baseProb - p);
  return { rows, cols, patch, stride, classIndex, baseProb, prob, drop };
}

export async function occlusionMap(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  options: OcclusionOptions,
): Promise<OcclusionMap> {
  const { patch, stride } = options;
  const rows = gridCells(image.height, patch, stride);
  const cols = gridCells(image.width, patch, stride);
  const base = await predictImage(tf, loaded, image);
  const classIndex = options.classIndex ?? argMax(base);
  if (!(classIndex >= 0 && classIndex < base.length)) throw new RangeError(`no class ${classIndex}`);
  const baseProb = base[classIndex];
  const source = fillSource(image, options.fill ?? 'grey', patch);
  const engine =
    options.method === 'incremental' ? await IncrementalOcclusion.create(tf, loaded, image) : undefined;
  try {
    const probe = engine
      ? incrementalProbe(engine, source, patch)
      : fullProbe(tf, loaded, image, source, patch);
    return await gridProbabilities(probe, image, rows, cols, classIndex, baseProb, options);
  } finally {
    engine?.dispose();
  }
}

async function gridProbabilities(
  probe: BatchProbe,
  image: { height: number; width: number },
  rows: number,
  cols: number,
  classIndex: number,
  baseProb: number,
  options: OcclusionOptions,
): Promise<OcclusionMap> {
  const { patch, stride } = options;
  const total = rows * cols;
  const known = new Map<number, number>();
  let done = 0;
  const report = () => options.onProgress?.({ done, total });

  const coarseStride = options.coarseStride;
  if (coarseStride && coarseStride > stride) {
    const coarseRows = gridCells(image.height, patch, coarseStride);
    const coarseCols = gridCells(image.width, patch, coarseStride);
    const coarse = await occludedProbabilities(
      probe,
      gridPositions(coarseRows, coarseCols, coarseStride),
      classIndex,
      options,
    );
    if (coarseStride % stride === 0) {
      const step = coarseStride / stride;
      for (let r = 0; r < coarseRows; r++) {
        for (let c = 0; c < coarseCols; c++)
          known.set(r * step * cols + c * step, coarse[r * coarseCols + c]);
      }
      done = known.size;
      report();
    }
    options.onCoarse?.(toMap(coarseRows, coarseCols, patch, coarseStride, classIndex, baseProb, coarse));
  }

  const all = gridPositions(rows, cols, stride);
  const todo = all.map((_, i) => i).filter((i) => !known.has(i));
  const already = done;
  const fresh = await occludedProbabilities(
    probe,
    todo.map((i) => all[i]),
    classIndex,
    {
      ...options,
      onBatch: (n) => {
        done = already + n;
        report();
      },
    },
  );
  const prob = new Float32Array(total);
  for (const [i, p] of known) prob[i] = p;
  todo.forEach((cell, i) => {
    prob[cell] = fresh[i];
  });
  return toMap(rows, cols, patch, stride, classIndex, baseProb, prob);
}

// Live dragging asks for many positions on one image: keep the last fill source per image buffer,
// fingerprinted so an edited buffer is not served a stale blur.
const fillCache = new WeakMap<object, { key: string; source: FillSource }>();

function cachedFillSource(image: PixelImage, fill: OcclusionFill, patch: number): FillSource {
  const key = `${fill}:${patch}:${image.height}x${image.width}x${image.channels}:${fnv1a32Bytes(image.data)}`;
  const hit = fillCache.get(image.data);
  if (hit?.key === key) return hit.source;
  const source = fillSource(image, fill, patch);
  fillCache.set(image.data, { key, source });
  return source;
}

/**
 * Probability of `classIndex` with one patch whose top-left corner is at (y, x); the patch may hang
 * over the border (only its inside part is painted). Use it while a student drags the patch.
 */
export async function occludedProbability(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  y: number,
  x: number,
  patch: number,
  fill: OcclusionFill,
  classIndex: number,
): Promise<number> {
  checkInputSize(loaded.manifest, image);
  const source = cachedFillSource(image, fill, patch);
  const { probs } = await fullProbe(tf, loaded, image, source, patch)([{ y, x }]);
  return probs[classIndex];
}
