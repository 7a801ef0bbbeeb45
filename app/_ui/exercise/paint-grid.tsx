'use client';

import { type PointerEvent, useRef } from 'react';
import { cellAt } from '@/lib/protocol/occlusion-grid';
import type { PixelImage } from '@/lib/viz';
import { boxToPercent, type Size } from '../viz/geometry';
import { CellCanvas } from './cell-canvas';
import { type CellGrid, cellIndexBox } from './grid-geometry';

export interface PaintGridProps {
  image: PixelImage | null;
  inputSize: Size;
  grid: CellGrid;
  painted: ReadonlySet<number>;
  /** At most this many cells; painting more is ignored until one is erased. */
  limit: number;
  /** Absent: read-only. */
  onChange?: (painted: Set<number>) => void;
  displaySize?: number;
}

/**
 * The image with its occlusion grid, painted by click or drag (mouse, pen or
 * touch: pointer events), or cell by cell with the keyboard (each cell is a
 * toggle button). A stroke paints or erases, depending on its first cell.
 */
export function PaintGrid({ image, inputSize, grid, painted, limit, onChange, displaySize }: PaintGridProps) {
  const stroke = useRef<{ paint: boolean; last: number | null } | null>(null);
  const cells = Array.from({ length: grid.rows * grid.cols }, (_, i) => i);

  const cellUnder = (event: PointerEvent<HTMLFieldSetElement>): number | null => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const point = {
      y: ((event.clientY - bounds.top) / Math.max(bounds.height, 1)) * inputSize.height,
      x: ((event.clientX - bounds.left) / Math.max(bounds.width, 1)) * inputSize.width,
    };
    return cellAt(grid, point);
  };

  const apply = (cell: number, paint: boolean, current: ReadonlySet<number>) => {
    if (paint === current.has(cell) || (paint && current.size >= limit)) return current;
    const next = new Set(current);
    if (paint) next.add(cell);
    else next.delete(cell);
    onChange?.(next);
    return next;
  };

  // Pointer moves arrive faster than React re-renders: the stroke keeps its own copy of the painting.
  const latest = useRef(painted);
  latest.current = painted;

  const onPointerDown = (event: PointerEvent<HTMLFieldSetElement>) => {
    if (!onChange || event.button > 0) return;
    const cell = cellUnder(event);
    if (cell === null) return;
    event.preventDefault();
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic events (tests, some assistive tools) have no active pointer to capture.
    }
    const paint = !latest.current.has(cell);
    stroke.current = { paint, last: cell };
    latest.current = apply(cell, paint, latest.current);
  };
  const onPointerMove = (event: PointerEvent<HTMLFieldSetElement>) => {
    const current = stroke.current;
    if (!current) return;
    const cell = cellUnder(event);
    if (cell === null || cell === current.last) return;
    current.last = cell;
    latest.current = apply(cell, current.paint, latest.current);
  };
  const onPointerUp = () => {
    stroke.current = null;
  };

  return (
    <div className="relative inline-block max-w-full">
      <CellCanvas
        image={image}
        inputSize={inputSize}
        grid={grid}
        displaySize={displaySize}
        label={`The image with a ${grid.rows} by ${grid.cols} grid to paint`}
      />
      <fieldset
        aria-label={`Grid cells: ${painted.size} of ${limit} painted`}
        data-testid="paint-grid"
        data-painted={[...painted].sort((a, b) => a - b).join(',')}
        disabled={!onChange}
        className={`absolute inset-0 m-0 min-w-0 border-0 p-0 ${onChange ? 'cursor-crosshair touch-none' : ''}`}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerCancel={onPointerUp}
      >
        {cells.map((cell) => {
          const on = painted.has(cell);
          const row = Math.floor(cell / grid.cols) + 1;
          const col = (cell % grid.cols) + 1;
          return (
            <button
              key={cell}
              type="button"
              data-testid="paint-cell"
              data-cell={cell}
              aria-pressed={on}
              aria-label={`Row ${row}, column ${col}`}
              // Pointers paint through the grid above; this handles Enter and Space (a click with detail 0).
              onClick={(event) => {
                if (event.detail === 0) latest.current = apply(cell, !on, latest.current);
              }}
              className={`absolute border border-white/40 focus-visible:z-10 focus-visible:outline-2 focus-visible:outline-indigo-600 ${
                on ? 'bg-cyan-500/55 ring-2 ring-inset ring-cyan-700' : 'bg-transparent hover:bg-white/20'
              } disabled:cursor-default`}
              style={boxToPercent(cellIndexBox(grid, cell), inputSize)}
            />
          );
        })}
      </fieldset>
    </div>
  );
}
