// How large a student's exercise cells are: the starter warns before posing a grid too fine for their screens.
import type { InputSize, OcclusionGrid } from '@/lib/protocol/occlusion-grid';

/** The paint grid's longer side when the window has room (occlusion-answer.tsx draws at this size). */
export const PAINT_DISPLAY = 480;
/** Cells smaller than this are hard to hit with a finger or on a trackpad. */
export const MIN_CELL_PX = 24;

/**
 * Room the paint grid has in a window `screenWidth` CSS px wide: the session screen's side margins and the
 * exercise panel's border and padding (session-screen.tsx, exercise-panel.tsx), and from 1024 px on the
 * sidebar (18rem) and its gap. An estimate: it follows those class names, not a measurement.
 */
export function paintRoom(screenWidth: number): number {
  const chrome = screenWidth >= 1024 ? 48 + 52 + 288 + 24 : screenWidth >= 640 ? 48 + 52 : 32 + 36;
  return Math.max(0, screenWidth - chrome);
}

/** The side of one cell, in CSS px, on a screen this wide (a cell is stride × stride input pixels). */
export function cellPixels(
  grid: Pick<OcclusionGrid, 'stride'>,
  input: InputSize,
  screenWidth: number,
): number {
  const longer = Math.max(input.height, input.width, 1);
  const scale = Math.min(PAINT_DISPLAY / longer, paintRoom(screenWidth) / Math.max(input.width, 1));
  return grid.stride * scale;
}

/** The narrowest screen among those reported, with the cell size there; null when nobody reported one. */
export function smallestCells(
  grid: Pick<OcclusionGrid, 'stride'>,
  input: InputSize,
  screenWidths: readonly number[],
): { screenWidth: number; cellPx: number; under: number } | null {
  if (screenWidths.length === 0) return null;
  const narrowest = Math.min(...screenWidths);
  const under = screenWidths.filter((w) => cellPixels(grid, input, w) < MIN_CELL_PX).length;
  return { screenWidth: narrowest, cellPx: cellPixels(grid, input, narrowest), under };
}
