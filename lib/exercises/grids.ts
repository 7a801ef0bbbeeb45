// The grids an occlusion exercise can pose: coarse enough to paint, chosen apart from the live view's settings.
import { MAX_PAINT_SIDE } from '../protocol/exercise';
import {
  fitOcclusion,
  type InputSize,
  maxOcclusionSide,
  type OcclusionGrid,
} from '../protocol/occlusion-grid';

/** Grids with fewer cells a side than this make too coarse a question. */
export const MIN_PAINT_SIDE = 3;

export interface GridOption extends OcclusionGrid {
  /** The live occlusion view uses this very patch and stride: students following it have seen the answer. */
  seen: boolean;
}

/**
 * Every grid of 3…16 cells a side this input gives, one per shape, fewest cells first. A patch twice the
 * stride (overlapping, smoother maps) is preferred to a patch the size of the stride for the same shape.
 */
export function paintableGrids(input: InputSize, live: { patch: number; stride: number }): GridOption[] {
  const side = maxOcclusionSide(input);
  const liveGrid = fitOcclusion(live, input);
  const byShape = new Map<string, GridOption>();
  for (let stride = 1; stride <= side; stride++) {
    for (const patch of [2 * stride, stride]) {
      if (patch > side) continue;
      const grid = fitOcclusion({ patch, stride }, input);
      const sides = [grid.rows, grid.cols];
      if (Math.max(...sides) > MAX_PAINT_SIDE || Math.min(...sides) < MIN_PAINT_SIDE) continue;
      const shape = `${grid.rows}x${grid.cols}`;
      const seen = patch === liveGrid.patch && stride === liveGrid.stride;
      // One option per shape; one the class has not seen wins over the live view's.
      if (byShape.has(shape) && !(byShape.get(shape)?.seen && !seen)) continue;
      byShape.set(shape, { ...grid, seen });
    }
  }
  return [...byShape.values()].sort((a, b) => a.rows * a.cols - b.rows * b.cols || a.patch - b.patch);
}

/** The grid offered first: the smallest with at least 6 cells a side the class has not seen, else any unseen. */
export function defaultGrid(options: readonly GridOption[]): GridOption | null {
  const unseen = options.filter((o) => !o.seen);
  return unseen.find((o) => Math.min(o.rows, o.cols) >= 6) ?? unseen.at(-1) ?? options[0] ?? null;
}

export function gridLabel(grid: OcclusionGrid): string {
  return `${grid.rows}×${grid.cols} cells (patch ${grid.patch} px, stride ${grid.stride} px)`;
}
