// Where an exercise's cells sit on the image: the occlusion view's cell boxes, and the cell under a pointer.
import type { Box } from '@/lib/models/types';
import type { ExerciseTask } from '@/lib/protocol/exercise';
import { cellBox } from '@/lib/protocol/occlusion-grid';
import type { OcclusionMap } from '@/lib/viz';

export type CellGrid = Pick<OcclusionMap, 'rows' | 'cols' | 'patch' | 'stride'>;

/** The grid a task is painted on; a probe task has none. */
export function gridOf(task: ExerciseTask): CellGrid | null {
  return task.kind === 'occlusion'
    ? { rows: task.rows, cols: task.cols, patch: task.patch, stride: task.stride }
    : null;
}

/** The box of a row-major cell index. */
export function cellIndexBox(grid: CellGrid, cell: number): Box {
  return cellBox(grid, Math.floor(cell / grid.cols), cell % grid.cols);
}
