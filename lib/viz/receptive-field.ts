// Receptive fields by arithmetic: for every layer the size, jump and start of its neurons' fields in input
// pixels, and for one neuron its exact half-open box. Neuron (y, x) of a layer with field (size, jump, start)
// covers rows [start + y·jump, start + y·jump + size), the same for columns.
import type { Box, LayerInfo, LayerReceptiveField } from '@/lib/models/types';

type Axis = 0 | 1;
interface AxisField {
  size: number;
  jump: number;
  start: number;
}

const INPUT_FIELD: AxisField = { size: 1, jump: 1, start: 0 };

/** The receptive field of every layer, keyed by layer name. */
export function layerReceptiveFields(layers: readonly LayerInfo[]): Map<string, LayerReceptiveField> {
  const fields = new Map<string, LayerReceptiveField>();
  const shapes = new Map(layers.map((layer) => [layer.name, layer.outputShape]));
  for (const layer of layers) {
    const inputs = layer.inbound.map((name) => {
      const field = fields.get(name);
      if (!field) throw new Error(`layer ${layer.name}: inbound layer ${name} comes later or does not exist`);
      return { field, shape: shapes.get(name) ?? [] };
    });
    fields.set(layer.name, combine(fieldOnAxis(layer, inputs, 0), fieldOnAxis(layer, inputs, 1)));
  }
  return fields;
}

interface Inbound {
  field: LayerReceptiveField;
  shape: number[];
}

function fieldOnAxis(layer: LayerInfo, inputs: Inbound[], axis: Axis): AxisField {
  if (inputs.length === 0) return INPUT_FIELD;
  const own = inputs.map(({ field }) => ({
    size: field.size[axis],
    jump: field.jump[axis],
    start: field.start[axis],
  }));
  if (inputs.length > 1 || layer.kind === 'concatenate' || layer.kind === 'add') return union(own);
  const input = own[0];
  if (layer.geometry) {
    const { kernel, stride, dilation, padBefore } = layer.geometry;
    const effectiveKernel = (kernel[axis] - 1) * dilation[axis] + 1;
    return {
      size: input.size + (effectiveKernel - 1) * input.jump,
      jump: input.jump * stride[axis],
      start: input.start - padBefore[axis] * input.jump,
    };
  }
  const inputShape = inputs[0].shape;
  if (keepsGrid(layer, inputShape)) return input;
  return wholeExtent(input, inputShape[axis]);
}

/** Layers that map each pixel to the same pixel: activations, normalisation, dropout, unknown same-size layers. */
function keepsGrid(layer: LayerInfo, inputShape: number[]): boolean {
  if (layer.kind === 'pointwise') return true;
  if (layer.kind === 'global-pool' || layer.kind === 'flatten' || layer.kind === 'dense') return false;
  const out = layer.outputShape;
  return out.length === 3 && inputShape.length === 3 && out[0] === inputShape[0] && out[1] === inputShape[1];
}

/**
 * A neuron that sees its whole input (global pooling, flatten, dense, reshape): the union of all input
 * neurons' fields. The jump becomes 0: every output position covers the same box.
 */
function wholeExtent(input: AxisField, inputCount: number | undefined): AxisField {
  if (input.jump === 0 || inputCount === undefined || inputCount < 1) return input;
  return { size: (inputCount - 1) * input.jump + input.size, jump: 0, start: input.start };
}

/**
 * Multi-branch layers (concatenate, add): each output pixel sees the same pixel of every branch, so its
 * field is the union of the branches' fields. Branches on the same grid share the jump, so the union of
 * neuron y's fields is [min start + y·jump, max end + y·jump). A branch with jump 0 (a global branch, as in
 * squeeze-and-excitation) covers the same box for every pixel.
 */
function union(fields: AxisField[]): AxisField {
  const start = Math.min(...fields.map((f) => f.start));
  const end = Math.max(...fields.map((f) => f.start + f.size));
  const spatial = fields.filter((f) => f.jump > 0);
  if (spatial.length < fields.length) return { size: end - start, jump: 0, start };
  return { size: end - start, jump: Math.max(...spatial.map((f) => f.jump)), start };
}

function combine(rows: AxisField, cols: AxisField): LayerReceptiveField {
  return { size: [rows.size, cols.size], jump: [rows.jump, cols.jump], start: [rows.start, cols.start] };
}

export function receptiveFieldOf(layers: readonly LayerInfo[], layerName: string): LayerReceptiveField {
  const field = layerReceptiveFields(layers).get(layerName);
  if (!field)
    throw new Error(`unknown layer "${layerName}" (layers: ${layers.map((l) => l.name).join(', ')})`);
  return field;
}

/** The half-open box [y0, x0, y1, x1] of neuron (y, x), unclipped: it may reach into the padding. */
export function neuronBox(field: LayerReceptiveField, y: number, x: number): Box {
  const y0 = field.start[0] + y * field.jump[0];
  const x0 = field.start[1] + x * field.jump[1];
  return [y0, x0, y0 + field.size[0], x0 + field.size[1]];
}

/** The part of a box inside an image of the given size (empty boxes have y1 = y0 or x1 = x0). */
export function clipBox(box: Box, height: number, width: number): Box {
  const y0 = clamp(box[0], 0, height);
  const x0 = clamp(box[1], 0, width);
  return [y0, x0, Math.max(y0, clamp(box[2], 0, height)), Math.max(x0, clamp(box[3], 0, width))];
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}

export interface NeuronReceptiveField {
  /** The geometric box: start + index·jump, size; may reach into the padding. */
  box: Box;
  /**
   * The input pixels the neuron can actually depend on: the box clipped to the image, tightened where
   * padding, cropping or dilation holes at the border leave pixels out of reach. Empty (y1 = y0) for a
   * neuron that sees only zero padding (a padded pixel of ZeroPadding2D).
   */
  clipped: Box;
}

/**
 * The receptive field of neuron (y, x) of a layer, unclipped and clipped.
 * Non-spatial layers (dense, global pooling) have the single position (0, 0).
 */
export function neuronReceptiveField(
  layers: readonly LayerInfo[],
  { layer: layerName, y, x }: { layer: string; y: number; x: number },
  fields: Map<string, LayerReceptiveField> = layerReceptiveFields(layers),
): NeuronReceptiveField {
  const layer = layers.find((l) => l.name === layerName);
  const field = fields.get(layerName);
  if (!layer || !field) throw new Error(`unknown layer "${layerName}"`);
  const [height, width] = layer.outputShape.length === 3 ? layer.outputShape : [1, 1];
  if (!Number.isInteger(y) || !Number.isInteger(x) || y < 0 || x < 0 || y >= height || x >= width) {
    throw new Error(`neuron (${y}, ${x}) is outside layer ${layerName}, whose output is ${height}×${width}`);
  }
  const box = neuronBox(field, y, x);
  const reachable = reachableBox(layers, layer, y, x);
  if (!reachable) {
    const input = layers.find((l) => l.kind === 'input') ?? layers[0];
    const [y0, x0] = clipBox(box, input.outputShape[0], input.outputShape[1]);
    return { box, clipped: [y0, x0, y0, x0] };
  }
  return { box, clipped: reachable };
}

/** Requested positions of one layer: a height × width mask (strides, dilation and padding leave holes). */
interface Positions {
  height: number;
  width: number;
  mask: Uint8Array;
}

/**
 * The bounding box of the input pixels position (y, x) of a layer depends on, found by walking the graph
 * backwards with a mask of positions per layer: taps that land in padding are dropped, holes left by
 * strides and dilation stay holes, and branches that fork and merge are united exactly.
 * Undefined when the position depends on no pixel.
 */
function reachableBox(
  layers: readonly LayerInfo[],
  target: LayerInfo,
  y: number,
  x: number,
): Box | undefined {
  const byName = new Map(layers.map((layer) => [layer.name, layer]));
  const start = emptyPositions(target.outputShape);
  start.mask[isSpatialShape(target.outputShape) ? y * start.width + x : 0] = 1;
  const requested = new Map<string, Positions>([[target.name, start]]);
  for (let i = layers.indexOf(target); i >= 0; i--) {
    const layer = layers[i];
    const positions = requested.get(layer.name);
    if (!positions) continue;
    if (layer.inbound.length === 0) return boundingBox(positions);
    for (const name of layer.inbound) {
      const inbound = byName.get(name);
      if (!inbound) continue;
      const sources = requested.get(name) ?? emptyPositions(inbound.outputShape);
      if (markSources(layer, positions, sources) && !requested.has(name)) requested.set(name, sources);
    }
  }
  return undefined;
}

function emptyPositions(shape: number[]): Positions {
  const [height, width] = isSpatialShape(shape) ? shape : [1, 1];
  return { height, width, mask: new Uint8Array(height * width) };
}

/** Marks the positions of the inbound layer that the requested positions of `layer` read; false if none. */
function markSources(layer: LayerInfo, positions: Positions, sources: Positions): boolean {
  const spatialSource = sources.height * sources.width > 1 || isSpatialShape(layer.outputShape);
  let marked = false;
  const mark = (sy: number, sx: number) => {
    if (sy < 0 || sx < 0 || sy >= sources.height || sx >= sources.width) return;
    sources.mask[sy * sources.width + sx] = 1;
    marked = true;
  };
  const { geometry } = layer;
  const sameGrid = !geometry && keepsGrid(layer, [sources.height, sources.width, 0]) && spatialSource;
  if (!geometry && !sameGrid) {
    // Global pooling, flatten, dense, reshape: every position of the input.
    if (positions.mask.includes(1)) sources.mask.fill(1);
    return positions.mask.includes(1);
  }
  for (let py = 0; py < positions.height; py++) {
    for (let px = 0; px < positions.width; px++) {
      if (!positions.mask[py * positions.width + px]) continue;
      if (!geometry) {
        mark(py, px);
        continue;
      }
      const { kernel, stride, dilation, padBefore } = geometry;
      const top = py * stride[0] - padBefore[0];
      const left = px * stride[1] - padBefore[1];
      for (let ty = 0; ty < kernel[0]; ty++) {
        for (let tx = 0; tx < kernel[1]; tx++) mark(top + ty * dilation[0], left + tx * dilation[1]);
      }
    }
  }
  return marked;
}

function boundingBox({ height, width, mask }: Positions): Box {
  let [y0, x0, y1, x1] = [height, width, 0, 0];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!mask[y * width + x]) continue;
      y0 = Math.min(y0, y);
      x0 = Math.min(x0, x);
      y1 = Math.max(y1, y + 1);
      x1 = Math.max(x1, x + 1);
    }
  }
  return [y0, x0, y1, x1];
}

function isSpatialShape(shape: number[]): boolean {
  return shape.length === 3;
}
