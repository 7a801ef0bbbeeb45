// The one owner of occlusion geometry: how patch and stride fit a model's input, the grid they give, and the
// way back from a pixel to a cell. The controls, the panel, the canvas, exercises and the server all use it.

export interface InputSize {
  height: number;
  width: number;
}

export interface Point {
  y: number;
  x: number;
}

/** Half-open box [y0, x0, y1, x1] in input pixels. */
export type GridBox = [number, number, number, number];

/** Occlusion settings fitted to an input: cell (r, c) has the patch's top-left corner at (r·stride, c·stride). */
export interface OcclusionGrid {
  patch: number;
  stride: number;
  rows: number;
  cols: number;
}

/** Patch positions along one side: 0, stride, 2·stride, … while the patch fits. */
export function gridCells(size: number, patch: number, stride: number): number {
  if (!(Number.isInteger(patch) && Number.isInteger(stride) && patch >= 1 && stride >= 1)) {
    throw new RangeError('patch and stride must be whole numbers of at least 1');
  }
  if (patch > size) throw new RangeError(`patch ${patch} is larger than the image side ${size}`);
  return Math.floor((size - patch) / stride) + 1;
}

function clampInt(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Math.round(value)));
}

/** The largest patch or stride an input takes: its shorter side. */
export function maxOcclusionSide(input: InputSize): number {
  return Math.min(input.height, input.width);
}

/** The grid these settings give on this input, after bringing patch and stride into [1, shorter side]. */
export function fitOcclusion(params: { patch: number; stride: number }, input: InputSize): OcclusionGrid {
  const side = maxOcclusionSide(input);
  const patch = clampInt(params.patch, 1, side);
  const stride = clampInt(params.stride, 1, side);
  return {
    patch,
    stride,
    rows: gridCells(input.height, patch, stride),
    cols: gridCells(input.width, patch, stride),
  };
}

/** Why these settings do not fit this input as they are, or null when they do (the server's check). */
export function occlusionProblem(params: { patch: number; stride: number }, input: InputSize): string | null {
  const side = maxOcclusionSide(input);
  if (params.patch > side) return `the patch (${params.patch} px) is larger than the input side (${side} px)`;
  if (params.stride > side)
    return `the stride (${params.stride} px) is larger than the input side (${side} px)`;
  return null;
}

/** Top-left corner of cell (r, c)'s patch. */
export function cellOrigin(grid: OcclusionGrid, r: number, c: number): Point {
  return { y: r * grid.stride, x: c * grid.stride };
}

/**
 * The area cell (r, c) is painted over: a stride×stride square centred on its patch's centre, so neighbouring
 * cells tile the image without overlap.
 */
export function cellBox(grid: Pick<OcclusionGrid, 'patch' | 'stride'>, r: number, c: number): GridBox {
  const cy = r * grid.stride + grid.patch / 2;
  const cx = c * grid.stride + grid.patch / 2;
  const half = grid.stride / 2;
  return [cy - half, cx - half, cy + half, cx + half];
}

/** The union of all cell boxes. */
export function gridExtent(grid: OcclusionGrid): GridBox {
  const first = cellBox(grid, 0, 0);
  const last = cellBox(grid, grid.rows - 1, grid.cols - 1);
  return [first[0], first[1], last[2], last[3]];
}

/** The smallest input the grid fits (for drawing before the image has loaded). */
export function gridInputSize(grid: OcclusionGrid): InputSize {
  return {
    height: (grid.rows - 1) * grid.stride + grid.patch,
    width: (grid.cols - 1) * grid.stride + grid.patch,
  };
}

/** The inverse: the row-major index of the cell whose box holds `point`, or null outside the grid. */
export function cellAt(grid: OcclusionGrid, point: Point): number | null {
  const [y0, x0, y1, x1] = gridExtent(grid);
  if (!(point.y >= y0 && point.y < y1 && point.x >= x0 && point.x < x1)) return null;
  const r = Math.min(grid.rows - 1, Math.floor((point.y - y0) / grid.stride));
  const c = Math.min(grid.cols - 1, Math.floor((point.x - x0) / grid.stride));
  return r * grid.cols + c;
}

/**
 * Where a dragged patch's top-left corner may be: the patch may hang over the edge, but its centre stays
 * on the image.
 */
export function probeRange(patch: number, input: InputSize): { min: Point; max: Point } {
  const half = Math.floor(patch / 2);
  return { min: { y: -half, x: -half }, max: { y: input.height - 1 - half, x: input.width - 1 - half } };
}

/** A probe position brought into `probeRange`, in whole pixels. */
export function clampProbe(probe: Point, patch: number, input: InputSize): Point {
  const { min, max } = probeRange(patch, input);
  return { y: clampInt(probe.y, min.y, max.y), x: clampInt(probe.x, min.x, max.x) };
}

/** Whether a probe position is one `clampProbe` would leave as it is. */
export function probeFits(probe: Point, patch: number, input: InputSize): boolean {
  const fitted = clampProbe(probe, patch, input);
  return fitted.y === probe.y && fitted.x === probe.x;
}
