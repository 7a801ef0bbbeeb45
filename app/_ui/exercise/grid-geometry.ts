// Where an exercise's cells sit on the image: the occlusion view's cell boxes, and the cell under a pointer.
import type { Box } from '@/lib/models/types';
import type { ExerciseTask } from '@/lib/protocol/exercise';
import type { OcclusionMap } from '@/lib/viz/occlusion';
import type { Point, Size } from '../viz/geometry';
import { occlusionCellBox, occlusionExtent } from '../viz/occlusion-geometry';

export type CellGrid = Pick<OcclusionMap, 'rows' | 'cols' | 'patch' | 'stride'>;

/** The grid a task is painted on; a probe task has none. */
export function gridOf(task: ExerciseTask): CellGrid | null {
  return task.kind === 'occlusion'
    ? { rows: task.rows, cols: task.cols, patch: task.patch, stride: task.stride }
    : null;
}

/** The smallest input the grid fits, for drawing before the image has loaded. */
export function gridInputSize(grid: CellGrid): Size {
  return {
    height: (grid.rows - 1) * grid.stride + grid.patch,
    width: (grid.cols - 1) * grid.stride + grid.patch,
  };
}

export function cellBox(grid: CellGrid, cell: number): Box {
  return occlusionCellBox(grid, Math.floor(cell / grid.cols), cell % grid.cols);
}

/** The cell whose box holds `point` (input pixels), or null outside the grid. */
export function cellAt(point: Point, grid: CellGrid): number | null {
  const [y0, x0, y1, x1] = occlusionExtent(grid);
  if (!(point.y >= y0 && point.y < y1 && point.x >= x0 && point.x < x1)) return null;
  const r = Math.min(grid.rows - 1, Math.floor((point.y - y0) / grid.stride));
  const c = Math.min(grid.cols - 1, Math.floor((point.x - x0) / grid.stride));
  return r * grid.cols + c;
}
