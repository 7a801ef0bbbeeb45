// Receptive-field geometry for the view: neuron grid, centres, picking by pointer or keyboard.
import type { LayerInfo, LayerReceptiveField } from '@/lib/models/types';
import { clipBox, neuronBox } from '@/lib/viz';
import { clamp, type Point, type Size } from './geometry';

export interface Grid {
  rows: number;
  cols: number;
}

/** The layer's output positions; a flat layer (dense, global pooling) has the single position (0, 0). */
export function outputGrid(layer: LayerInfo): Grid {
  return layer.outputShape.length === 3
    ? { rows: layer.outputShape[0], cols: layer.outputShape[1] }
    : { rows: 1, cols: 1 };
}

export function channelCount(layer: LayerInfo): number {
  return layer.outputShape[layer.outputShape.length - 1] ?? 1;
}

/** The model input's size: the 'input' layer's output, else the first layer's. */
export function inputSizeOf(layers: readonly LayerInfo[]): Size | null {
  const input = layers.find((l) => l.kind === 'input') ?? layers[0];
  if (!input || input.outputShape.length < 2) return null;
  return { height: input.outputShape[0], width: input.outputShape[1] };
}

/** Centre of neuron (y, x)'s receptive field in continuous input pixels. */
export function neuronCentre(field: LayerReceptiveField, y: number, x: number): Point {
  return {
    y: field.start[0] + y * field.jump[0] + field.size[0] / 2,
    x: field.start[1] + x * field.jump[1] + field.size[1] / 2,
  };
}

function nearestOnAxis(p: number, start: number, jump: number, size: number, count: number): number {
  if (jump <= 0 || count <= 1) return 0;
  return clamp(Math.round((p - start - size / 2) / jump), 0, count - 1);
}

/** The neuron whose receptive-field centre is nearest a point in input pixels (ties go to the lower index). */
export function nearestNeuron(field: LayerReceptiveField, grid: Grid, point: Point): Point {
  return {
    y: nearestOnAxis(point.y, field.start[0], field.jump[0], field.size[0], grid.rows),
    x: nearestOnAxis(point.x, field.start[1], field.jump[1], field.size[1], grid.cols),
  };
}

/**
 * Lines between neighbouring neurons' cells, in input pixels: each neuron owns the jump×jump cell
 * around its centre. Only lines inside the image are returned.
 */
export function gridLines(
  field: LayerReceptiveField,
  grid: Grid,
  image: Size,
): { ys: number[]; xs: number[] } {
  const axis = (count: number, axisIndex: 0 | 1, extent: number) => {
    const jump = field.jump[axisIndex];
    if (jump <= 0 || count <= 1) return [];
    const lines: number[] = [];
    for (let i = 1; i < count; i++) {
      const p = field.start[axisIndex] + field.size[axisIndex] / 2 + (i - 0.5) * jump;
      if (p > 0 && p < extent) lines.push(p);
    }
    return lines;
  };
  return { ys: axis(grid.rows, 0, image.height), xs: axis(grid.cols, 1, image.width) };
}

const ARROWS: Record<string, Point> = {
  ArrowUp: { y: -1, x: 0 },
  ArrowDown: { y: 1, x: 0 },
  ArrowLeft: { y: 0, x: -1 },
  ArrowRight: { y: 0, x: 1 },
};

/** The position an arrow key moves a neuron to (clamped to the grid), or null for other keys. */
export function moveByKey(position: Point, key: string, grid: Grid): Point | null {
  const step = ARROWS[key];
  if (!step) return null;
  return {
    y: clamp(position.y + step.y, 0, grid.rows - 1),
    x: clamp(position.x + step.x, 0, grid.cols - 1),
  };
}

/**
 * How far (input pixels) any neuron's field reaches past the image edge over the given layers, so the
 * canvas margin can be fixed per model and the image does not jump when the layer changes.
 */
export function maxOverhang(
  layers: readonly LayerInfo[],
  fields: ReadonlyMap<string, LayerReceptiveField>,
  image: Size,
): number {
  let most = 0;
  for (const layer of layers) {
    const field = fields.get(layer.name);
    if (!field) continue;
    const { rows, cols } = outputGrid(layer);
    const first = neuronBox(field, 0, 0);
    const last = neuronBox(field, rows - 1, cols - 1);
    most = Math.max(most, -first[0], -first[1], last[2] - image.height, last[3] - image.width);
  }
  return most;
}

export interface NeuronBoxes {
  box: [number, number, number, number];
  clipped: [number, number, number, number];
}

export function neuronBoxes(field: LayerReceptiveField, y: number, x: number, image: Size): NeuronBoxes {
  const box = neuronBox(field, y, x);
  return { box, clipped: clipBox(box, image.height, image.width) };
}
