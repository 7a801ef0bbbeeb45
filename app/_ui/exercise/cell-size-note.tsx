import type { InputSize, OcclusionGrid } from '@/lib/protocol/occlusion-grid';
import { cellPixels, MIN_CELL_PX, smallestCells } from './paint-size';

/** A laptop window, for the estimate before any student has said how wide theirs is. */
const TYPICAL_WIDTH = 1280;

/** How large the cells will be on the students' screens, with a warning under MIN_CELL_PX. */
export function CellSizeNote({
  grid,
  inputSize,
  screenWidths,
}: {
  grid: OcclusionGrid;
  inputSize: InputSize;
  screenWidths: readonly number[];
}) {
  const smallest = smallestCells(grid, inputSize, screenWidths);
  if (!smallest) {
    const px = cellPixels(grid, inputSize, TYPICAL_WIDTH);
    return (
      <p data-testid="exercise-cell-size" data-cell-px={Math.round(px)} className="text-xs text-slate-600">
        Cells of about {Math.round(px)} px on a {TYPICAL_WIDTH} px wide screen
        {px < MIN_CELL_PX ? ` — under ${MIN_CELL_PX} px: hard to paint, choose a coarser grid` : ''}.
      </p>
    );
  }
  const px = Math.round(smallest.cellPx);
  if (smallest.under === 0) {
    return (
      <p data-testid="exercise-cell-size" data-cell-px={px} className="text-xs text-slate-600">
        Cells of at least {px} px on every student’s screen.
      </p>
    );
  }
  return (
    <p
      role="alert"
      data-testid="exercise-cell-size"
      data-cell-px={px}
      data-warning="small-cells"
      className="rounded bg-amber-50 px-2 py-1 text-amber-900"
    >
      Cells would be under {MIN_CELL_PX} px for {smallest.under}{' '}
      {smallest.under === 1 ? 'student' : 'students'} ({px} px on a {smallest.screenWidth} px wide screen):
      choose a coarser grid.
    </p>
  );
}
