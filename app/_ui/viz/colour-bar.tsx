'use client';

import { useCallback } from 'react';
import { drawColourBar } from './draw';
import { useHiDpiCanvas } from './use-hidpi-canvas';

export interface ColourBarProps {
  lut: Uint8ClampedArray;
  /** Values at the ends and any ticks between, labelled with `format`. */
  min: number;
  max: number;
  ticks?: number[];
  format?: (value: number) => string;
  /** What the colours mean, e.g. "cosine similarity". */
  label: string;
  width?: number;
}

export function ColourBar({
  lut,
  min,
  max,
  ticks,
  format = (v) => v.toFixed(2),
  label,
  width = 240,
}: ColourBarProps) {
  const height = 14;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => drawColourBar(ctx, lut, { x: 0, y: 0, width, height }),
    [lut, width],
  );
  const ref = useHiDpiCanvas(width, height, draw);
  const marks = [...new Set(ticks ?? [min, (min + max) / 2, max])];
  const span = max - min || 1;
  return (
    <figure className="inline-block" style={{ width }}>
      <figcaption className="mb-1 text-sm font-medium text-slate-700">{label}</figcaption>
      <canvas
        ref={ref}
        role="img"
        aria-label={`Colour scale for ${label}, from ${format(min)} to ${format(max)}`}
        className="block rounded-sm ring-1 ring-slate-300"
        style={{ width, height }}
      />
      <div className="relative mt-1 h-5 text-sm tabular-nums text-slate-700">
        {marks.map((value, i) => {
          const at = ((value - min) / span) * 100;
          const align =
            i === 0 ? 'translate-x-0' : i === marks.length - 1 ? '-translate-x-full' : '-translate-x-1/2';
          return (
            <span key={value} className={`absolute top-0 ${align}`} style={{ left: `${at}%` }}>
              {format(value)}
            </span>
          );
        })}
      </div>
    </figure>
  );
}
