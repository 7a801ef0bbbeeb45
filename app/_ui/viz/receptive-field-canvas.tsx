'use client';

import { type KeyboardEvent, type PointerEvent, useCallback } from 'react';
import type { LayerReceptiveField } from '@/lib/models/types';
import type { PixelImage } from '@/lib/viz';
import { drawLines, drawScaled, pixelImageSource, pointerOnCanvas, strokeBox } from './draw';
import { boxToRect, canvasToInput, type Placement, type Point, type Size } from './geometry';
import {
  type Grid,
  gridLines,
  moveByKey,
  nearestNeuron,
  neuronBoxes,
  neuronCentre,
} from './receptive-field-geometry';
import { useHiDpiCanvas } from './use-hidpi-canvas';

/** Grid lines are drawn only when neighbouring neurons are at least this many screen pixels apart. */
const MIN_GRID_SPACING = 4;

export interface ReceptiveFieldCanvasProps {
  image: PixelImage | null;
  inputSize: Size;
  field: LayerReceptiveField | null;
  grid: Grid;
  position: Point | null;
  /** Screen pixels per input pixel, and the margin around the image where overhanging boxes show. */
  scale: number;
  margin: number;
  label: string;
  onPick?: (position: Point) => void;
}

export function ReceptiveFieldCanvas({
  image,
  inputSize,
  field,
  grid,
  position,
  scale,
  margin,
  label,
  onPick,
}: ReceptiveFieldCanvasProps) {
  const width = inputSize.width * scale + 2 * margin;
  const height = inputSize.height * scale + 2 * margin;
  const placement: Placement = { scale, offset: { x: margin, y: margin } };

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const place: Placement = { scale, offset: { x: margin, y: margin } };
      const area = boxToRect([0, 0, inputSize.height, inputSize.width], place);
      if (image) drawScaled(ctx, pixelImageSource(image), area);
      else {
        ctx.fillStyle = '#cbd5e1';
        ctx.fillRect(area.x, area.y, area.width, area.height);
      }
      if (!field) return;
      if (Math.min(field.jump[0], field.jump[1]) * scale >= MIN_GRID_SPACING) {
        const { ys, xs } = gridLines(field, grid, inputSize);
        drawLines(
          ctx,
          ys.map((y) => margin + y * scale),
          xs.map((x) => margin + x * scale),
          area,
          'rgba(255, 255, 255, 0.28)',
        );
      }
      if (!position) return;
      const { box, clipped } = neuronBoxes(field, position.y, position.x, inputSize);
      ctx.save();
      ctx.fillStyle = 'rgba(250, 204, 21, 0.18)';
      const inside = boxToRect(clipped, place);
      ctx.fillRect(inside.x, inside.y, inside.width, inside.height);
      ctx.restore();
      strokeBox(ctx, boxToRect(box, place), {
        colour: '#f59e0b',
        lineWidth: 2,
        dash: [6, 4],
        halo: 'rgba(0,0,0,0.55)',
      });
      strokeBox(ctx, inside, { colour: '#facc15', lineWidth: 3, halo: 'rgba(0,0,0,0.7)' });
      const centre = neuronCentre(field, position.y, position.x);
      ctx.beginPath();
      ctx.arc(margin + centre.x * scale, margin + centre.y * scale, 3.5, 0, 2 * Math.PI);
      ctx.fillStyle = '#facc15';
      ctx.strokeStyle = 'rgba(0,0,0,0.7)';
      ctx.fill();
      ctx.stroke();
    },
    [image, inputSize, field, grid, position, scale, margin],
  );
  const ref = useHiDpiCanvas(width, height, draw);

  const pick = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!onPick || !field || !ref.current) return;
    const point = canvasToInput(pointerOnCanvas(event, ref.current, width, height), placement);
    onPick(nearestNeuron(field, grid, point));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onPick || !field) return;
    const from = position ?? { y: Math.floor(grid.rows / 2), x: Math.floor(grid.cols / 2) };
    const next = moveByKey(from, event.key, grid);
    if (!next) return;
    event.preventDefault();
    onPick(next);
  };

  return (
    <canvas
      ref={ref}
      data-testid="receptive-field-canvas"
      aria-label={label}
      role={onPick ? 'application' : 'img'}
      tabIndex={onPick ? 0 : undefined}
      onPointerDown={pick}
      onKeyDown={onKeyDown}
      className={`block h-auto max-w-full rounded-lg focus-visible:outline-4 focus-visible:outline-indigo-500 ${
        onPick && field ? 'cursor-crosshair' : ''
      }`}
      style={{ width, aspectRatio: `${width} / ${height}` }}
    />
  );
}
