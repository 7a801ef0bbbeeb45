// Contracts of the model core. Implementations live beside this file
// (manifest.ts, load.ts, graph.ts) and in lib/viz/receptive-field.ts.
import type { LayersModel } from '@tensorflow/tfjs';

export interface Preprocessing {
  /** Resize so the shorter side is `resize` (then centre-crop to the input size), or resize the whole image. */
  resize: 'shorter-side-then-center-crop' | 'center-crop-square-then-resize' | 'stretch';
  /** For 'shorter-side-then-center-crop': the side before cropping (e.g. 256 for a 227 crop). */
  resizeTo?: number;
  /** x' = (x - mean[c]) * scale + offset, with x in 0..255. */
  mean: [number, number, number];
  scale: number;
  offset: number;
  channels: 1 | 3;
}

export interface ModelManifest {
  id: string;
  name: string;
  /** Where the weights came from (repository, paper), for the UI and credits. */
  source: string;
  inputSize: { height: number; width: number; channels: 1 | 3 };
  preprocessing: Preprocessing;
  labels: string[];
  output: 'softmax' | 'logits';
  /** Relative to the manifest: the tf.js LayersModel JSON. */
  modelUrl: string;
  /** Measured held-out accuracy, where known. */
  accuracy?: { value: number; dataset: string };
}

export type LayerKind =
  | 'input'
  | 'conv2d'
  | 'depthwise-conv2d'
  | 'separable-conv2d'
  | 'max-pool'
  | 'avg-pool'
  | 'zero-padding'
  | 'concatenate'
  | 'add'
  | 'pointwise'
  | 'global-pool'
  | 'flatten'
  | 'dense'
  | 'other';

export interface LayerGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /** Padding added before the first row / column, in this layer's input pixels (TF 'same' offsets resolved). */
  padBefore: [number, number];
}

export interface LayerInfo {
  name: string;
  kind: LayerKind;
  className: string;
  /** [height, width, channels]; null where the layer has no spatial output (dense). */
  outputShape: number[];
  inbound: string[];
  geometry?: LayerGeometry;
}

/** Receptive field of one layer, in input pixels: neuron (y, x) covers [start + y*jump, start + y*jump + size). */
export interface LayerReceptiveField {
  size: [number, number];
  jump: [number, number];
  start: [number, number];
}

/** Half-open box [y0, x0, y1, x1] in input pixels. */
export type Box = [number, number, number, number];

export interface LoadedModel {
  manifest: ModelManifest;
  model: LayersModel;
  layers: LayerInfo[];
  dispose(): void;
}
