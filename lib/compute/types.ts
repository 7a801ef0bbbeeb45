import type { LayerInfo, ModelManifest } from '../models/types';
import type { FeatureMaps } from '../viz/activations';
import type { FilterSimilarity } from '../viz/filters';
import type { RgbaTile } from '../viz/image';
import type { OcclusionMap } from '../viz/occlusion';
import type { TopActivatingResult } from '../viz/top-activating';

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

export interface ComputeResults {
  'model-info': ModelInfoResult;
  predict: PredictResult;
  occlusion: OcclusionMap;
  probe: ProbeResult;
  filters: FiltersResult;
  activations: FeatureMaps;
  'top-activating': TopActivatingResult;
}

export type { ModelManifest };
