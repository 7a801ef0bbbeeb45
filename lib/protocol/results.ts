// What each kind of compute request produces: the same shapes on the server, in browsers and in replays.
import type { Box, LayerInfo, ModelManifest } from './model';
import type { FeatureVisObjective, OcclusionMode } from './primitives';

/** An RGBA image, e.g. one filter drawn as a tile; feeds ImageData or sharp's raw input directly. */
export interface RgbaTile {
  height: number;
  width: number;
  data: Uint8ClampedArray;
}

/** One image's activations at a layer, HWC; a layer without spatial extent reads as 1x1xC. */
export interface FeatureMaps {
  layer: string;
  height: number;
  width: number;
  channels: number;
  data: Float32Array;
}

export interface SimilarFilters {
  i: number;
  j: number;
  cosine: number;
}

export interface FilterSimilarity {
  count: number;
  /** count x count cosine similarities, row-major; 0 wherever a filter is all zeros. */
  matrix: Float32Array;
  /** Pairs i < j with |cos| ≥ threshold, most alike first. */
  nearDuplicates: SimilarFilters[];
  threshold: number;
  /** A permutation of the filters that puts alike filters next to each other. */
  order: number[];
}

export interface OcclusionMap {
  rows: number;
  cols: number;
  patch: number;
  stride: number;
  classIndex: number;
  /** Probability of the class on the clean image. */
  baseProb: number;
  /** Row-major: cell (r, c) has the patch's top-left corner at (r·stride, c·stride). */
  prob: Float32Array;
  /** baseProb − prob. */
  drop: Float32Array;
  /** Absent for an exact map: how an approximate map was computed (the UI labels it). */
  approximation?: OcclusionApproximation;
}

export interface OcclusionApproximation {
  mode: Exclude<OcclusionMode, 'exact'>;
  /** Cells computed; the others are interpolated from the cells around them (adaptive). */
  computed: number;
  /** Projective: the largest fraction of a layer's side a change was allowed to reach. */
  spread?: number;
}

export interface TopActivation {
  imageId: string;
  /** The channel's largest value over the image. */
  value: number;
  /** Where that maximum is, in the layer's output grid (first position on ties). */
  y: number;
  x: number;
  /** Receptive field of (y, x) in input pixels, half-open [y0, x0, y1, x1]; may extend past the image. */
  box: Box;
  /** The same box clipped to the image. */
  clippedBox: Box;
}

export interface ChannelTopActivations {
  channel: number;
  /** Best first; ties keep the earlier image. */
  top: TopActivation[];
}

export interface TopActivatingResult {
  layer: string;
  k: number;
  /** The layer's output grid. */
  height: number;
  width: number;
  imagesSeen: number;
  channels: ChannelTopActivations[];
}

export interface PredictResult {
  probs: Float32Array;
  top: { index: number; label: string; prob: number }[];
}

export interface ProbeResult {
  classIndex: number;
  prob: number;
}

export interface FiltersResult {
  layer: string;
  kernel: [number, number];
  inChannels: number;
  count: number;
  /** Per-filter normalisation; first-layer RGB filters in colour, deeper ones averaged over input channels. */
  tiles: RgbaTile[];
  /** One scale for every filter of the layer. */
  sharedTiles: RgbaTile[];
  /** First layer only: the unit-norm input that fires each filter most. */
  preferred: RgbaTile[];
  similarity: FilterSimilarity;
}

export interface ModelInfoResult {
  manifest: ModelManifest;
  layers: LayerInfo[];
}

/** Interleaved 8-bit pixels, row-major, channels last (HWC). */
export interface PixelImage {
  height: number;
  width: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray;
}

/**
 * Images optimised to excite a channel, a neuron or a class. Previews on the way have the same shape with
 * `step` < `steps`.
 */
export interface FeatureVisResult {
  objective: FeatureVisObjective;
  /** The layer that was read (for a class: the layer feeding its logit). */
  layer: string;
  /** Steps taken so far. */
  step: number;
  steps: number;
  /** [height, width] of the optimised image before it is resized to the model's input. */
  size: [number, number];
  /** At the model's input size, 8-bit: exactly what a photo would be. */
  images: PixelImage[];
  /** The objective for each image as the model sees its 8-bit pixels (no transform). */
  values: number[];
  /** Mean objective at each step so far, under that step's random transforms. */
  trace: Float32Array;
}

export interface ComputeResults {
  'model-info': ModelInfoResult;
  predict: PredictResult;
  occlusion: OcclusionMap;
  probe: ProbeResult;
  filters: FiltersResult;
  activations: FeatureMaps;
  'top-activating': TopActivatingResult;
  'feature-vis': FeatureVisResult;
}
