// Hand-built layer graphs (LayerInfo, as lib/models/graph.ts reads them from a model) for geometry tests.
import type { LayerInfo, LayerKind } from '@/lib/protocol/model';

const CLASS_NAMES: Partial<Record<LayerKind, string>> = {
  input: 'InputLayer',
  conv2d: 'Conv2D',
  'max-pool': 'MaxPooling2D',
  'avg-pool': 'AveragePooling2D',
  concatenate: 'Concatenate',
  'global-pool': 'GlobalAveragePooling2D',
  flatten: 'Flatten',
  dense: 'Dense',
};

export function inputLayer(outputShape: number[], name = 'in'): LayerInfo {
  return { name, kind: 'input', className: 'InputLayer', outputShape, inbound: [] };
}

export interface WindowSpec {
  kernel: number;
  stride?: number;
  /** Padding before the first row and column (TF 'same' resolved). */
  pad?: number;
  dilation?: number;
  kind?: 'conv2d' | 'max-pool' | 'avg-pool';
}

/** A square sliding-window layer: a convolution unless `kind` says a pooling. */
export function windowLayer(
  name: string,
  inbound: string,
  outputShape: number[],
  spec: WindowSpec,
): LayerInfo {
  const { kernel, stride = 1, pad = 0, dilation = 1, kind = 'conv2d' } = spec;
  return {
    name,
    kind,
    className: CLASS_NAMES[kind]!,
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

/** A layer without a window: merges, global pooling, flatten, dense. */
export function plainLayer(
  name: string,
  kind: 'concatenate' | 'global-pool' | 'flatten' | 'dense',
  inbound: string[],
  outputShape: number[],
): LayerInfo {
  return { name, kind, className: CLASS_NAMES[kind]!, outputShape, inbound };
}
