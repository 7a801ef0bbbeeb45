// Occlusion sensitivity: slide a patch over the image and watch the class probability drop.
import type { LoadedModel } from '@/lib/models/types';
import { fnv1a32Bytes } from '@/lib/protocol/hash';
import { gridCells } from '@/lib/protocol/occlusion-grid';
import type { OcclusionMode } from '@/lib/protocol/primitives';
import type { OcclusionApproximation, OcclusionMap } from '@/lib/protocol/results';
import type { Tf } from '@/lib/tf';
import type { PixelImage } from './image';
import { IncrementalOcclusion, type PatchPosition } from './incremental/executor';
import { checkInputSize } from './input';
import { type DrillDownOptions, drillDown } from './occlusion-adaptive';
import { type FillSource, fillSource, type OcclusionFill, writeOccluded } from './occlusion-fill';
import { argMax, classProbabilityBatch, predictImage } from './predict';

export type { OcclusionFill } from './occlusion-fill';
export type { OcclusionMap };
export { gridCells };

export type OcclusionMethod = 'batched' | 'incremental';

export type { OcclusionApproximation, OcclusionMode };

/** Projective mode: a change may reach at most this fraction of each layer's side. */
export const PROJECTIVE_SPREAD = 0.9;

/**
 * Projective mode's largest |drop| error against the exact map on the pack models and test photos at
 * the default spread (docs/benchmarks.md); the maps keep the exact map's five largest drops there.
 */
export const PROJECTIVE_STATED_ERROR = 0.02;

/**
 * Adaptive mode: the first level's step (cells) and the drop that makes a coarse cell worth refining.
 * 0.02, the error the approximate modes aim at: at 0.05 a coarse grid whose corners all dropped less
 * than 0.05 hid a 0.39 drop on a pack photo (docs/benchmarks.md).
 */
export const ADAPTIVE_DRILL_DOWN: DrillDownOptions = { step: 2, threshold: 0.02 };

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
  /**
   * 'exact' (default) computes every cell. The approximate modes trade accuracy for time, each measured
   * against the exact map (docs/benchmarks.md), and the map carries `approximation`: 'projective' limits
   * how far a change spreads through the layers (incremental/geometry.ts limitSpan), 'adaptive' drills
   * down from a coarse grid (occlusion-adaptive.ts).
   */
  mode?: OcclusionMode;
  /** Projective mode: the spread fraction (default PROJECTIVE_SPREAD). Uses the incremental engine. */
  spread?: number;
  /** Adaptive mode: overrides of ADAPTIVE_DRILL_DOWN. */
  drillDown?: Partial<DrillDownOptions>;
  /** Compute this coarser grid first and hand it to onCoarse (cells it shares with the full grid are reused). */
  coarseStride?: number;
  onCoarse?: (map: OcclusionMap) => void;
  onProgress?: (progress: { done: number; total: number }) => void;
  signal?: AbortSignal;
}

const DEFAULT_BATCH = 16;

type Position = PatchPosition;

/** Class probabilities [count, classes] with a patch at each of a batch of positions. */
type BatchProbe = ((positions: Position[]) => Promise<{ probs: Float32Array; classes: number }>) & {
  /** How to split positions into batches (indices); consecutive runs of batchSize when absent. */
  batches?: (positions: Position[], batchSize: number) => number[][];
};

/** The whole network on each occluded image, filled in one JS buffer per batch. */
function fullProbe(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  source: FillSource,
  patch: number,
): BatchProbe {
  const imageSize = image.data.length;
  const occluder = { image, source, patch };
  let buffer = new Float32Array(0);
  return (positions) => {
    if (buffer.length < positions.length * imageSize) buffer = new Float32Array(positions.length * imageSize);
    positions.forEach((position, i) => {
      writeOccluded(buffer, i * imageSize, occluder, position);
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
  const probe: BatchProbe = async (positions) => {
    const probs = engine.probabilities(positions, patch, source);
    try {
      return { probs: (await probs.data()) as Float32Array, classes: probs.shape[1]! };
    } finally {
      probs.dispose();
    }
  };
  probe.batches = (positions, batchSize) => engine.batches(positions, patch, batchSize);
  return probe;
}

function consecutiveBatches(count: number, batchSize: number): number[][] {
  const batches: number[][] = [];
  for (let start = 0; start < count; start += batchSize) {
    batches.push(Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i));
  }
  return batches;
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
  const batches = probe.batches?.(positions, batchSize) ?? consecutiveBatches(positions.length, batchSize);
  let done = 0;
  for (const batch of batches) {
    options.signal?.throwIfAborted();
    const { probs, classes } = await probe(batch.map((i) => positions[i]));
    batch.forEach((position, i) => {
      result[position] = probs[i * classes + classIndex];
    });
    done += batch.length;
    options.onBatch?.(done);
  }
  return result;
}

function gridPositions(rows: number, cols: number, stride: number): Position[] {
  const positions: Position[] = [];
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) positions.push({ y: r * stride, x: c * stride });
  return positions;
}

/** The class, its clean probability and the grid a map is computed on. */
type MapFrame = Pick<OcclusionMap, 'rows' | 'cols' | 'patch' | 'stride' | 'classIndex' | 'baseProb'>;

function toMap(frame: MapFrame, prob: Float32Array, approximation?: OcclusionApproximation): OcclusionMap {
  const drop = prob.map((p) => frame.baseProb - p);
  return { ...frame, prob, drop, ...(approximation && { approximation }) };
}

/**
 * The smallest multiple of `stride` whose grid has at most `maxCells` cells: a coarse map that arrives
 * quickly and whose cells are all cells of the full grid. Undefined when no coarser grid exists.
 */
export function coarseStrideFor(
  size: { height: number; width: number },
  { patch, stride, maxCells = 64 }: { patch: number; stride: number; maxCells?: number },
): number | undefined {
  const cells = (s: number) => gridCells(size.height, patch, s) * gridCells(size.width, patch, s);
  if (cells(stride) <= maxCells) return undefined;
  for (let coarse = 2 * stride; coarse <= Math.min(size.height, size.width); coarse += stride) {
    if (cells(coarse) <= maxCells) return coarse;
  }
  return undefined;
}

export async function occlusionMap(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  options: OcclusionOptions,
): Promise<OcclusionMap> {
  const { patch, stride } = options;
  const mode = options.mode ?? 'exact';
  const rows = gridCells(image.height, patch, stride);
  const cols = gridCells(image.width, patch, stride);
  const spread = mode === 'projective' ? (options.spread ?? PROJECTIVE_SPREAD) : 1;
  const engine =
    options.method === 'incremental' || mode === 'projective'
      ? await IncrementalOcclusion.create(tf, loaded, image, { spread })
      : undefined;
  try {
    // The engine's clean pass is the prediction, by the same arithmetic as the occluded passes.
    const base = engine?.cleanProbabilities ?? (await predictImage(tf, loaded, image));
    const classIndex = options.classIndex ?? argMax(base);
    if (!(classIndex >= 0 && classIndex < base.length)) throw new RangeError(`no class ${classIndex}`);
    const frame: MapFrame = { rows, cols, patch, stride, classIndex, baseProb: base[classIndex] };
    const source = fillSource(image, options.fill ?? 'grey', patch);
    const probe = engine
      ? incrementalProbe(engine, source, patch)
      : fullProbe(tf, loaded, image, source, patch);
    if (mode === 'adaptive') return await adaptiveMap(probe, frame, options);
    const map = await gridProbabilities(probe, image, frame, options);
    return mode === 'projective' ? { ...map, approximation: { mode, spread, computed: rows * cols } } : map;
  } finally {
    engine?.dispose();
  }
}

/** Every cell, the coarse grid's first when `coarseStride` asks for a coarse map early. */
async function gridProbabilities(
  probe: BatchProbe,
  image: { height: number; width: number },
  frame: MapFrame,
  options: OcclusionOptions,
): Promise<OcclusionMap> {
  const { rows, cols, patch, stride, classIndex } = frame;
  const total = rows * cols;
  const known = new Map<number, number>();
  let done = 0;
  const report = () => options.onProgress?.({ done, total });

  const coarseStride = options.coarseStride;
  if (coarseStride && coarseStride > stride) {
    const coarseRows = gridCells(image.height, patch, coarseStride);
    const coarseCols = gridCells(image.width, patch, coarseStride);
    const reused = coarseStride % stride === 0;
    const step = coarseStride / stride;
    const coarse = await occludedProbabilities(
      probe,
      gridPositions(coarseRows, coarseCols, coarseStride),
      classIndex,
      {
        ...options,
        onBatch: (n) => {
          if (!reused) return;
          done = n;
          report();
        },
      },
    );
    if (reused) {
      for (let r = 0; r < coarseRows; r++) {
        for (let c = 0; c < coarseCols; c++)
          known.set(r * step * cols + c * step, coarse[r * coarseCols + c]);
      }
      done = known.size;
    }
    options.onCoarse?.(toMap({ ...frame, rows: coarseRows, cols: coarseCols, stride: coarseStride }, coarse));
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
  return toMap(frame, prob);
}

/** The cells of every `step`-th row and column: a map on the coarser grid of stride step·stride. */
function coarseOf(frame: MapFrame, step: number, drop: Float32Array): OcclusionMap {
  const rows = Math.floor((frame.rows - 1) / step) + 1;
  const cols = Math.floor((frame.cols - 1) / step) + 1;
  const prob = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++)
      prob[r * cols + c] = frame.baseProb - drop[r * step * frame.cols + c * step];
  }
  return toMap({ ...frame, rows, cols, stride: frame.stride * step }, prob);
}

/** Adaptive drill-down (occlusion-adaptive.ts): the coarse grid first, then fine cells where it dropped. */
async function adaptiveMap(
  probe: BatchProbe,
  frame: MapFrame,
  options: OcclusionOptions,
): Promise<OcclusionMap> {
  const { rows, cols, stride, classIndex, baseProb } = frame;
  const drill = { ...ADAPTIVE_DRILL_DOWN, ...options.drillDown };
  const positions = gridPositions(rows, cols, stride);
  const total = rows * cols;
  let decided = 0;
  const dropsOf = async (cells: number[]) => {
    const already = decided;
    const probs = await occludedProbabilities(
      probe,
      cells.map((c) => positions[c]),
      classIndex,
      { ...options, onBatch: (n) => options.onProgress?.({ done: already + n, total }) },
    );
    return probs.map((p) => baseProb - p);
  };
  // A coarser grid than the first level, when asked for: computed first and shown, then reused.
  const known = new Map<number, number>();
  const coarseStep = options.coarseStride ? options.coarseStride / stride : 0;
  if (Number.isInteger(coarseStep) && coarseStep > drill.step) {
    const coarseRows = Math.floor((rows - 1) / coarseStep) + 1;
    const coarseCols = Math.floor((cols - 1) / coarseStep) + 1;
    const cells: number[] = [];
    for (let r = 0; r < coarseRows; r++)
      for (let c = 0; c < coarseCols; c++) cells.push(r * coarseStep * cols + c * coarseStep);
    const drops = await dropsOf(cells);
    for (let i = 0; i < cells.length; i++) known.set(cells[i], drops[i]);
    decided = cells.length;
    options.onCoarse?.(
      toMap(
        { ...frame, rows: coarseRows, cols: coarseCols, stride: stride * coarseStep },
        drops.map((d) => baseProb - d),
      ),
    );
  }
  const result = await drillDown(dropsOf, {
    rows,
    cols,
    ...drill,
    known,
    onLevel: (level) => {
      decided = level.decided;
      options.onProgress?.({ done: decided, total });
      if (known.size === 0 && level.step === drill.step && drill.step > 1)
        options.onCoarse?.(coarseOf(frame, drill.step, level.drop));
    },
  });
  const prob = result.drop.map((d) => baseProb - d);
  let computed = 0;
  for (const c of result.computed) computed += c;
  return toMap(frame, prob, { mode: 'adaptive', computed });
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

export interface ProbeOptions {
  /** Top-left corner of the patch; it may hang over the border (only its inside part is painted). */
  y: number;
  x: number;
  patch: number;
  fill?: OcclusionFill;
  /** Class to watch; the clean image's top prediction when omitted. */
  classIndex?: number;
}

/** The watched class and its probability with one patch on the image. Use it while a student drags the patch. */
export async function occludedProbability(
  tf: Tf,
  loaded: LoadedModel,
  image: PixelImage,
  options: ProbeOptions,
): Promise<{ classIndex: number; prob: number }> {
  const { y, x, patch } = options;
  checkInputSize(loaded.manifest, image);
  const classIndex = options.classIndex ?? argMax(await predictImage(tf, loaded, image));
  const source = cachedFillSource(image, options.fill ?? 'grey', patch);
  const { probs, classes } = await fullProbe(tf, loaded, image, source, patch)([{ y, x }]);
  if (!(classIndex >= 0 && classIndex < classes)) throw new RangeError(`no class ${classIndex}`);
  return { classIndex, prob: probs[classIndex] };
}
