// Incremental inference for occlusion: a patch changes a small window of the input, and each layer
// recomputes only the window its changed inputs reach, reading everything else from the clean
// image's activations. Same arithmetic as the full pass on every recomputed value, so the results
// match it to float rounding.
import type { Tensor3D } from '@tensorflow/tfjs';
import { derivedFrom } from '@/lib/models/derived';
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';
import type { PixelImage } from '../image';
import { pixelImageToInput, scalePixels } from '../input';
import type { FillSource } from '../occlusion-fill';
import { axisSignature, groupBySignature } from './batching';
import { fuseConvolutions } from './fuse';
import {
  batchWindows,
  inputExtent,
  limitSpan,
  padAfter,
  reachedOutputs,
  type Span,
  spanUnion,
} from './geometry';
import { type PlannedLayer, planModel, type Step, type WindowStep } from './plan';

/** A batch's values of one layer on per-element windows of one shared size. */
interface RegionValue {
  kind: 'region';
  height: number;
  width: number;
  originY: Int32Array;
  originX: Int32Array;
  /** Per element, the positions that differ from the clean image (inside the window). */
  changedY: Span[];
  changedX: Span[];
  /** [batch, height, width, channels] */
  tensor: Tensor;
}

type Windows = ReturnType<typeof batchWindows>;

function regionValue(
  rows: Windows,
  cols: Windows,
  changedY: Span[],
  changedX: Span[],
  tensor: Tensor,
): RegionValue {
  const [height, width, originY, originX] = [rows.length, cols.length, rows.origins, cols.origins];
  return { kind: 'region', height, width, originY, originX, changedY, changedX, tensor };
}

interface FullValue {
  kind: 'full';
  tensor: Tensor;
}

type Value = RegionValue | FullValue;

export interface PatchPosition {
  y: number;
  x: number;
}

/** Crop origins and sizes for a batch, in the coordinates of a (padded) clean map. */
interface CropSpec {
  originY: Int32Array;
  originX: Int32Array;
  height: number;
  width: number;
  /** Crop coordinate minus this = coordinate in the unpadded map the region values live in. */
  padY: number;
  padX: number;
}

/**
 * The crops a batch needs: each element's changed values where its window has them, the clean
 * (padded) map elsewhere. One gather from the clean map and the region values stacked as rows of
 * one table, whatever the batch size (a select would tile its mask, which is slow on wasm).
 */
function gatherCrops(tf: Tf, value: RegionValue, clean: Tensor, spec: CropSpec): Tensor {
  const batch = value.originY.length;
  const { height, width } = spec;
  if (sameWindows(value, spec)) return value.tensor;
  const cleanWidth = clean.shape[1]!;
  const cleanRows = clean.shape[0]! * cleanWidth;
  const rows = new Int32Array(batch * height * width);
  let everywhere = true;
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < height; i++) {
      const py = spec.originY[b] + i;
      const ry = py - spec.padY - value.originY[b];
      const rowInside = ry >= 0 && ry < value.height;
      for (let j = 0; j < width; j++) {
        const px = spec.originX[b] + j;
        const rx = px - spec.padX - value.originX[b];
        const k = (b * height + i) * width + j;
        if (rowInside && rx >= 0 && rx < value.width) {
          rows[k] = cleanRows + (b * value.height + ry) * value.width + rx;
        } else {
          rows[k] = py * cleanWidth + px;
          everywhere = false;
        }
      }
    }
  }
  // gatherND copies whole rows of channels; gather (GatherV2) goes element by element on wasm.
  return tf.tidy(() => {
    const channels = value.tensor.shape[3]!;
    const changed = tf.reshape(value.tensor, [-1, channels]);
    if (everywhere) {
      const local = rows.map((r) => r - cleanRows);
      return tf.gatherND(changed, tf.tensor4d(local, [batch, height, width, 1], 'int32'));
    }
    const table = tf.concat([tf.reshape(clean, [-1, channels]), changed], 0);
    return tf.gatherND(table, tf.tensor4d(rows, [batch, height, width, 1], 'int32'));
  });
}

/** True when the crops are exactly the region's own windows (a merge input that already spans the union). */
function sameWindows(value: RegionValue, spec: CropSpec): boolean {
  if (spec.padY !== 0 || spec.padX !== 0 || spec.height !== value.height || spec.width !== value.width) {
    return false;
  }
  for (let b = 0; b < value.originY.length; b++) {
    if (spec.originY[b] !== value.originY[b] || spec.originX[b] !== value.originX[b]) return false;
  }
  return true;
}

/** The clean map's values on each element's window of a region, [batch, height, width, channels]. */
function cleanWindows(tf: Tf, value: RegionValue, clean: Tensor): Tensor {
  const batch = value.originY.length;
  const cleanWidth = clean.shape[1]!;
  const rows = new Int32Array(batch * value.height * value.width);
  for (let b = 0, k = 0; b < batch; b++) {
    for (let i = 0; i < value.height; i++) {
      for (let j = 0; j < value.width; j++, k++) {
        rows[k] = (value.originY[b] + i) * cleanWidth + value.originX[b] + j;
      }
    }
  }
  return tf.tidy(() =>
    tf.gatherND(
      tf.reshape(clean, [-1, clean.shape[2]!]),
      tf.tensor4d(rows, [batch, value.height, value.width, 1], 'int32'),
    ),
  );
}

/**
 * Global average pooling of a region: the clean mean plus the window's summed change over the map's
 * size (the rest of the map is unchanged), instead of averaging a whole gathered map per element.
 */
function globalMeanOfRegion(tf: Tf, value: RegionValue, clean: Tensor, cleanMean: Tensor): Tensor {
  const [height, width] = clean.shape;
  const batch = value.originY.length;
  const positions = value.height * value.width;
  return tf.tidy(() => {
    const difference = tf.sub(value.tensor, cleanWindows(tf, value, clean));
    // A sum over positions as a product with ones: reductions over inner axes transpose first on wasm.
    const change = tf.matMul(
      tf.ones([batch, 1, positions]),
      tf.reshape(difference, [batch, positions, -1]) as Tensor3D,
    );
    return tf.add(cleanMean, tf.div(tf.reshape(change, [batch, -1]), height! * width!));
  });
}

function windowLayer(
  tf: Tf,
  step: WindowStep,
  input: RegionValue,
  cleanPadded: Tensor,
  spread: number,
): RegionValue {
  const [ay, ax] = step.axes;
  const changedY = input.changedY.map((s) => limitSpan(reachedOutputs(s, ay), ay.outputSize, spread));
  const changedX = input.changedX.map((s) => limitSpan(reachedOutputs(s, ax), ax.outputSize, spread));
  const rows = batchWindows(changedY, ay.outputSize);
  const cols = batchWindows(changedX, ax.outputSize);
  const crops = gatherCrops(tf, input, cleanPadded, {
    originY: rows.origins.map((o) => o * ay.stride),
    originX: cols.origins.map((o) => o * ax.stride),
    height: inputExtent(rows.length, ay),
    width: inputExtent(cols.length, ax),
    padY: ay.padBefore,
    padX: ax.padBefore,
  });
  return regionValue(rows, cols, changedY, changedX, step.run(crops));
}

/** Same-grid inputs brought onto one window per element (the union of their changes). */
function mergeLayer(
  tf: Tf,
  run: (xs: Tensor[]) => Tensor,
  inputs: RegionValue[],
  cleans: Tensor[],
  mapHeight: number,
  mapWidth: number,
): RegionValue {
  const batch = inputs[0].originY.length;
  const changedY = Array.from({ length: batch }, (_, b) =>
    inputs.reduce<Span>((u, v) => spanUnion(u, v.changedY[b]), { start: 0, end: 0 }),
  );
  const changedX = Array.from({ length: batch }, (_, b) =>
    inputs.reduce<Span>((u, v) => spanUnion(u, v.changedX[b]), { start: 0, end: 0 }),
  );
  const rows = batchWindows(changedY, mapHeight);
  const cols = batchWindows(changedX, mapWidth);
  const spec = {
    originY: rows.origins,
    originX: cols.origins,
    height: rows.length,
    width: cols.length,
    padY: 0,
    padX: 0,
  };
  const crops = inputs.map((v, i) => gatherCrops(tf, v, cleans[i], spec));
  return regionValue(rows, cols, changedY, changedX, run(crops));
}

function toFull(tf: Tf, value: Value, clean: Tensor): Tensor {
  if (value.kind === 'full') return value.tensor;
  const [height, width] = clean.shape;
  const batch = value.originY.length;
  return gatherCrops(tf, value, clean, {
    originY: new Int32Array(batch),
    originX: new Int32Array(batch),
    height,
    width,
    padY: 0,
    padX: 0,
  });
}

export interface IncrementalOptions {
  /**
   * The largest fraction of a layer's side a change may spread over (projective-field thresholding,
   * geometry.ts limitSpan): 1, the default, is exact; smaller is faster and approximate.
   */
  spread?: number;
}

/** Clean activations of one image, kept for the incremental passes; dispose() releases them. */
export class IncrementalOcclusion {
  private readonly plan: PlannedLayer[];
  /** Clean output of every spatial layer, [H, W, C]. */
  private readonly clean = new Map<string, Tensor>();
  /** Clean inputs of window layers, padded as the layer pads them. */
  private readonly cleanPadded = new Map<string, Tensor>();
  /** Clean output of global average pooling layers, [channels]. */
  private readonly cleanMeans = new Map<string, Tensor>();
  /** The clean image's class probabilities, by the same arithmetic as the occluded ones. */
  private cleanOutput: Float32Array = new Float32Array(0);
  private readonly consumers = new Map<string, number>();
  private readonly outputName: string;

  /** Plans the model (folding batch norms reads weights, asynchronously) and computes the clean activations. */
  static async create(
    tf: Tf,
    loaded: LoadedModel,
    image: PixelImage,
    options: IncrementalOptions = {},
  ): Promise<IncrementalOcclusion> {
    const spread = options.spread ?? 1;
    if (!(spread > 0 && spread <= 1)) throw new RangeError('spread must be in (0, 1]');
    // Folding reads every weight: done once per model and kept with it (released by its dispose()).
    const fused = await derivedFrom(loaded, 'incremental-occlusion-plan', async () => {
      const { plan, weights } = await fuseConvolutions(tf, loaded, planModel(tf, loaded));
      return { plan, dispose: () => tf.dispose(weights) };
    });
    const engine = new IncrementalOcclusion(tf, loaded, image, fused.plan, spread);
    try {
      await engine.computeClean();
    } catch (error) {
      engine.dispose();
      throw error;
    }
    return engine;
  }

  private constructor(
    private readonly tf: Tf,
    private readonly loaded: LoadedModel,
    private readonly image: PixelImage,
    plan: PlannedLayer[],
    private readonly spread: number,
  ) {
    this.plan = plan;
    this.outputName = this.plan[this.plan.length - 1].info.name;
    for (const { info } of this.plan) {
      for (const name of info.inbound) this.consumers.set(name, (this.consumers.get(name) ?? 0) + 1);
    }
  }

  /** Class probabilities of the clean image (no patch). */
  get cleanProbabilities(): Float32Array {
    return this.cleanOutput;
  }

  /** How many layers run on windows (the rest run on whole maps). */
  get windowedLayers(): number {
    return this.plan.filter(
      (p) => p.step.kind === 'window' || p.step.kind === 'pointwise' || p.step.kind === 'merge',
    ).length;
  }

  private async computeClean(): Promise<void> {
    const { tf } = this;
    const values = new Map<string, Tensor>();
    const input = pixelImageToInput(tf, this.loaded.manifest, this.image);
    try {
      for (const { info, step } of this.plan) {
        const output =
          step.kind === 'input'
            ? input
            : tf.tidy(() => {
                const xs = info.inbound.map((n) => values.get(n)!);
                if (step.kind === 'full' || step.kind === 'merge') return step.run(xs);
                if (step.kind === 'pointwise' || step.kind === 'global-mean') return step.run(xs[0]);
                return this.padded(step, xs[0], info.name);
              });
        values.set(info.name, output);
        if (step.kind === 'global-mean') this.cleanMeans.set(info.name, tf.keep(tf.squeeze(output, [0])));
        if (info.outputShape.length === 3) this.clean.set(info.name, tf.keep(tf.squeeze(output, [0])));
      }
      const probabilities = tf.tidy(() => {
        const flat = tf.reshape(values.get(this.outputName)!, [1, -1]);
        return this.loaded.manifest.output === 'logits' ? tf.softmax(flat) : flat;
      });
      this.cleanOutput = (await probabilities.data()) as Float32Array;
      probabilities.dispose();
    } finally {
      for (const t of new Set(values.values())) t.dispose();
    }
  }

  /** Pads the clean input of a window layer (kept), and returns the layer's clean output. */
  private padded(step: WindowStep, input: Tensor, name: string): Tensor {
    const { tf } = this;
    const [ay, ax] = step.axes;
    const paddedInput = tf.pad(
      input,
      [
        [0, 0],
        [ay.padBefore, padAfter(ay)],
        [ax.padBefore, padAfter(ax)],
        [0, 0],
      ],
      step.padValue,
    );
    this.cleanPadded.set(name, tf.keep(tf.squeeze(paddedInput, [0])));
    return step.run(paddedInput);
  }

  /**
   * Batches of indices into `positions` (each at most batchSize) whose elements need the same windows
   * in every layer (batching.ts), so no element computes more than its own change needs.
   */
  batches(positions: readonly PatchPosition[], patch: number, batchSize: number): number[][] {
    const { height, width } = this.image;
    const signatures = (axis: 0 | 1, size: number) => {
      const cache = new Map<number, string>();
      return (start: number) => {
        let key = cache.get(start);
        if (key === undefined) {
          const span = { start: Math.max(0, start), end: Math.min(size, start + patch) };
          key = axisSignature(this.plan, axis, span, this.spread);
          cache.set(start, key);
        }
        return key;
      };
    };
    const rowOf = signatures(0, height);
    const colOf = signatures(1, width);
    return groupBySignature(
      positions.map((p) => rowOf(p.y)),
      positions.map((p) => colOf(p.x)),
      { batchSize },
    );
  }

  /** Class probabilities [batch, classes] with a patch at each position. */
  probabilities(positions: readonly PatchPosition[], patch: number, source: FillSource): Tensor {
    const { tf } = this;
    return tf.tidy(() => {
      const values = new Map<string, Value>();
      const remaining = new Map(this.consumers);
      for (const { info, step } of this.plan) {
        const value =
          step.kind === 'input'
            ? this.patchedInput(positions, patch, source)
            : this.runLayer(
                info.name,
                info.inbound,
                step,
                info.inbound.map((n) => values.get(n)!),
              );
        values.set(info.name, value);
        for (const name of info.inbound) {
          const left = (remaining.get(name) ?? 0) - 1;
          remaining.set(name, left);
          if (left === 0) this.release(values, name);
        }
      }
      const output = values.get(this.outputName)!;
      const full =
        output.kind === 'full' ? output.tensor : toFull(tf, output, this.clean.get(this.outputName)!);
      const flat = tf.reshape(full, [positions.length, -1]);
      return this.loaded.manifest.output === 'logits' ? tf.softmax(flat) : flat;
    });
  }

  /** Frees a layer's batch values once no later layer reads them (identity layers share tensors). */
  private release(values: Map<string, Value>, name: string): void {
    const dead = values.get(name)!;
    values.delete(name);
    if (name === this.outputName) return;
    for (const v of values.values()) if (v.tensor === dead.tensor) return;
    dead.tensor.dispose();
  }

  private runLayer(name: string, inbound: string[], step: Step, inputs: Value[]): Value {
    const { tf } = this;
    const regions = inputs.every((v) => v.kind === 'region') ? (inputs as RegionValue[]) : undefined;
    if (regions && step.kind === 'window')
      return windowLayer(tf, step, regions[0], this.cleanPadded.get(name)!, this.spread);
    if (regions && step.kind === 'pointwise') return { ...regions[0], tensor: step.run(regions[0].tensor) };
    if (regions && step.kind === 'merge') {
      const [height, width] = this.clean.get(name)!.shape as number[];
      return mergeLayer(
        tf,
        step.run,
        regions,
        inbound.map((n) => this.clean.get(n)!),
        height,
        width,
      );
    }
    if (step.kind === 'input') throw new Error('input layer with inbound layers');
    if (step.kind === 'global-mean' && inputs[0].kind === 'region') {
      const tensor = globalMeanOfRegion(
        tf,
        inputs[0],
        this.clean.get(inbound[0])!,
        this.cleanMeans.get(name)!,
      );
      return { kind: 'full', tensor };
    }
    const xs = inputs.map((v, i) => toFull(tf, v, this.clean.get(inbound[i])!));
    const tensor =
      step.kind === 'window'
        ? step.run(this.padFull(step, xs[0]))
        : step.kind === 'pointwise' || step.kind === 'global-mean'
          ? step.run(xs[0])
          : step.run(xs);
    return { kind: 'full', tensor };
  }

  private padFull(step: WindowStep, x: Tensor): Tensor {
    const [ay, ax] = step.axes;
    return this.tf.pad(
      x,
      [
        [0, 0],
        [ay.padBefore, padAfter(ay)],
        [ax.padBefore, padAfter(ax)],
        [0, 0],
      ],
      step.padValue,
    );
  }

  /** The input windows under each patch (fill inside the patch, the image around it), scaled. */
  private patchedInput(positions: readonly PatchPosition[], patch: number, source: FillSource): RegionValue {
    const { height, width, channels, data } = this.image;
    const spansY = positions.map((p) => ({ start: Math.max(0, p.y), end: Math.min(height, p.y + patch) }));
    const spansX = positions.map((p) => ({ start: Math.max(0, p.x), end: Math.min(width, p.x + patch) }));
    const rows = batchWindows(spansY, height);
    const cols = batchWindows(spansX, width);
    const h = rows.length;
    const w = cols.length;
    const pixels = new Float32Array(positions.length * h * w * channels);
    positions.forEach((_, b) => {
      for (let i = 0; i < h; i++) {
        const y = rows.origins[b] + i;
        const inY = y >= spansY[b].start && y < spansY[b].end;
        for (let j = 0; j < w; j++) {
          const x = cols.origins[b] + j;
          const from = inY && x >= spansX[b].start && x < spansX[b].end ? source : data;
          const src = (y * width + x) * channels;
          const dst = ((b * h + i) * w + j) * channels;
          for (let c = 0; c < channels; c++) pixels[dst + c] = from[src + c];
        }
      }
    });
    return {
      kind: 'region',
      height: h,
      width: w,
      originY: rows.origins,
      originX: cols.origins,
      changedY: spansY,
      changedX: spansX,
      tensor: scalePixels(this.tf, this.loaded.manifest, pixels, [positions.length, h, w, channels]),
    };
  }

  dispose(): void {
    for (const t of this.clean.values()) t.dispose();
    for (const t of this.cleanPadded.values()) t.dispose();
    for (const t of this.cleanMeans.values()) t.dispose();
    this.clean.clear();
    this.cleanPadded.clear();
    this.cleanMeans.clear();
  }
}
