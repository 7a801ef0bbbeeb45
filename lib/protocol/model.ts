// What a model is, as clients and the server describe it to each other: manifests and the layer graph.

export interface Preprocessing {
  /**
   * 'shorter-side-then-center-crop': resize so the shorter side is `resizeTo`, then centre-crop the input size.
   * 'center-crop-square-then-resize': centre-crop the largest square, then resize it to the input size.
   * 'stretch': resize the whole image to the input size, ignoring its aspect ratio.
   */
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
  /** One name per output class. A manifest file may omit them: loadModel then fills "class 0", "class 1", …. */
  labels: string[];
  output: 'softmax' | 'logits';
  /** Relative to the manifest: the tf.js LayersModel JSON. */
  modelUrl: string;
  /** Measured held-out accuracy, where known. */
  accuracy?: { value: number; dataset: string };
  /** Free text for the UI: what the model was trained on, caveats. */
  description?: string;
}

export type LayerKind =
  | 'input'
  | 'conv2d'
  | 'depthwise-conv2d'
  | 'separable-conv2d'
  | 'max-pool'
  | 'avg-pool'
  | 'zero-padding'
  | 'cropping'
  | 'concatenate'
  | 'add'
  | 'pointwise'
  | 'global-pool'
  | 'flatten'
  | 'reshape'
  | 'dense'
  | 'other';

export interface LayerGeometry {
  kernel: [number, number];
  stride: [number, number];
  dilation: [number, number];
  /**
   * Padding added before the first row / column, in this layer's input pixels (TF 'same' offsets resolved).
   * Negative for cropping.
   */
  padBefore: [number, number];
}

export interface LayerInfo {
  name: string;
  kind: LayerKind;
  className: string;
  /** Output shape without the batch dimension: [height, width, channels] for spatial layers, [units] for flat ones. */
  outputShape: number[];
  /** Names of the layers feeding this one, in order (empty for the input). */
  inbound: string[];
  /** Kernel geometry, for layers that slide a window (conv, pooling, padding, cropping). */
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
