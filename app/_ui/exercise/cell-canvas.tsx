'use client';

import { useCallback, useMemo } from 'react';
import { gridExtent } from '@/lib/protocol/occlusion-grid';
import type { PixelImage } from '@/lib/viz';
import { valuesToRgba } from '../viz/colour';
import { drawScaled, pixelImageSource, rgbaSource, strokeBox } from '../viz/draw';
import { boxToRect, fitScale, type Placement, type Size } from '../viz/geometry';
import { useHiDpiCanvas } from '../viz/use-hidpi-canvas';
import { type CellGrid, cellIndexBox } from './grid-geometry';

export interface CellHeat {
  /** One value per cell, row-major. */
  values: ArrayLike<number>;
  max: number;
  lut: Uint8ClampedArray;
}

export interface CellCanvasProps {
  image: PixelImage | null;
  inputSize: Size;
  grid: CellGrid | null;
  heat?: CellHeat | null;
  /** Cells drawn with a solid outline (a student's answer). */
  outlined?: readonly number[];
  /** Cells drawn with a dashed outline (the true top cells). */
  marked?: readonly number[];
  /** A grey occluding patch (probe exercises), top-left corner and side in input pixels. */
  patch?: { y: number; x: number; size: number } | null;
  displaySize?: number;
  label: string;
}

export const ANSWER_OUTLINE = '#0891b2';
const NONE: readonly number[] = [];

/** The input image with per-cell colours and outlines over it, drawn with the viz helpers. */
export function CellCanvas({
  image,
  inputSize,
  grid,
  heat,
  outlined = NONE,
  marked = NONE,
  patch,
  displaySize = 320,
  label,
}: CellCanvasProps) {
  const scale = fitScale(inputSize, displaySize);
  const width = inputSize.width * scale;
  const height = inputSize.height * scale;
  const placement = useMemo<Placement>(() => ({ scale, offset: { x: 0, y: 0 } }), [scale]);
  const rgba = useMemo(
    () => (heat && grid ? valuesToRgba(heat.values, 0, heat.max, heat.lut) : null),
    [heat, grid],
  );

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      if (image) drawScaled(ctx, pixelImageSource(image), { x: 0, y: 0, width, height });
      else {
        ctx.fillStyle = '#cbd5e1';
        ctx.fillRect(0, 0, width, height);
      }
      if (grid && rgba) {
        drawScaled(ctx, rgbaSource(rgba, grid.cols, grid.rows), boxToRect(gridExtent(grid), placement));
      }
      if (grid) {
        for (const cell of marked) {
          strokeBox(ctx, boxToRect(cellIndexBox(grid, cell), placement), {
            colour: '#ffffff',
            lineWidth: 2,
            dash: [5, 3],
            halo: 'rgba(15, 23, 42, 0.85)',
          });
        }
        for (const cell of outlined) {
          const rect = boxToRect(cellIndexBox(grid, cell), placement);
          const inset = { x: rect.x + 3, y: rect.y + 3, width: rect.width - 6, height: rect.height - 6 };
          strokeBox(ctx, inset, { colour: ANSWER_OUTLINE, lineWidth: 3, halo: 'rgba(255, 255, 255, 0.9)' });
        }
      }
      if (patch) {
        const rect = boxToRect([patch.y, patch.x, patch.y + patch.size, patch.x + patch.size], placement);
        ctx.fillStyle = 'rgb(128, 128, 128)';
        ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
        strokeBox(ctx, rect, { colour: '#ffffff', lineWidth: 2, halo: 'rgba(15, 23, 42, 0.8)' });
      }
    },
    [image, width, height, grid, rgba, marked, outlined, patch, placement],
  );
  const ref = useHiDpiCanvas(width, height, draw);

  return (
    <canvas
      ref={ref}
      role="img"
      aria-label={label}
      className="block h-auto max-w-full rounded-lg bg-slate-100"
      style={{ width, aspectRatio: `${width} / ${height}` }}
    />
  );
}
