// Synthetic data for the component gallery: a small made-up CNN, a gradient image, filters and results.
// Nothing here comes from a trained model.
import type { LayerInfo } from '@/lib/models/types';
import { seededRandom } from '@/lib/util/random';
import type { OcclusionMap, PixelImage } from '@/lib/viz';
import { layerReceptiveFields } from '@/lib/viz';

export const SIDE = 64;

/** Deterministic, so the gallery looks the same on every load. */
export const random = seededRandom;

/** A diagonal colour gradient with a pale disc (the "object") and a dark square. */
export function gradientImage(side = SIDE): PixelImage {
  const data = new Uint8Array(side * side * 3);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const i = (y * side + x) * 3;
      let rgb = [40 + (x / side) * 120, 70 + (y / side) * 100, 200 - ((x + y) / (2 * side)) * 120];
      if ((y - 40) ** 2 + (x - 24) ** 2 < 11 ** 2) rgb = [236, 240, 250];
      if (y >= 8 && y < 20 && x >= 40 && x < 52) rgb = [30, 30, 50];
      data.set(rgb.map(Math.round), i);
    }
  }
  return { height: side, width: side, channels: 3, data };
}

function conv(
  name: string,
  inbound: string,
  outputShape: number[],
  kernel: number,
  stride: number,
  pad: number,
  dilation = 1,
): LayerInfo {
  return {
    name,
    kind: 'conv2d',
    className: 'Conv2D',
    outputShape,
    inbound: [inbound],
    geometry: {
      kernel: [kernel, kernel],
      stride: [stride, stride],
      dilation: [dilation, dilation],
      padBefore: [pad, pad],
    },
  };
}

export const LAYERS: LayerInfo[] = [
  { name: 'input', kind: 'input', className: 'InputLayer', outputShape: [SIDE, SIDE, 3], inbound: [] },
  conv('conv1', 'input', [64, 64, 8], 5, 1, 2),
  {
    name: 'pool1',
    kind: 'max-pool',
    className: 'MaxPooling2D',
    outputShape: [32, 32, 8],
    inbound: ['conv1'],
    geometry: { kernel: [2, 2], stride: [2, 2], dilation: [1, 1], padBefore: [0, 0] },
  },
  conv('conv2', 'pool1', [32, 32, 16], 3, 1, 1),
  conv('conv3', 'conv2', [15, 15, 32], 3, 2, 0),
  conv('conv4', 'conv3', [15, 15, 32], 3, 1, 2, 2),
  {
    name: 'gap',
    kind: 'global-pool',
    className: 'GlobalAveragePooling2D',
    outputShape: [32],
    inbound: ['conv4'],
  },
  { name: 'dense', kind: 'dense', className: 'Dense', outputShape: [10], inbound: ['gap'] },
];

export const FIELDS = layerReceptiveFields(LAYERS);

/** A made-up occlusion map: covering the disc costs up to ~0.7, covering the dark square helps a little. */
export function syntheticOcclusionMap(patch = 16, stride = 4, baseProb = 0.89): OcclusionMap {
  const rows = Math.floor((SIDE - patch) / stride) + 1;
  const cols = rows;
  const prob = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const cy = r * stride + patch / 2;
      const cx = c * stride + patch / 2;
      const drop = 0.7 * Math.exp(-((cy - 40) ** 2 + (cx - 24) ** 2) / (2 * 9 ** 2));
      const help = 0.06 * Math.exp(-((cy - 14) ** 2 + (cx - 46) ** 2) / (2 * 5 ** 2));
      prob[r * cols + c] = baseProb - drop + help;
    }
  }
  return { rows, cols, patch, stride, classIndex: 3, baseProb, prob, drop: prob.map((p) => baseProb - p) };
}

/** The probability at the map cell nearest a probe, standing in for a live forward pass. */
export function probeProbability(map: OcclusionMap, probe: { y: number; x: number }): number {
  const cell = (v: number, n: number) => Math.min(n - 1, Math.max(0, Math.round(v / map.stride)));
  return map.prob[cell(probe.y, map.rows) * map.cols + cell(probe.x, map.cols)];
}
