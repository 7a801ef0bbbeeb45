// Shared screen geometry: input-pixel boxes to canvas rectangles and back.
import type { Box } from '@/lib/models/types';

export interface Size {
  height: number;
  width: number;
}

export interface Point {
  y: number;
  x: number;
}

/** A rectangle in canvas (CSS) pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where the input image sits on a canvas: scaled by `scale`, its top-left corner at `offset`. */
export interface Placement {
  scale: number;
  offset: Point;
}

/** The scale that makes the longer side of `size` about `target` screen pixels. */
export function fitScale(size: Size, target: number): number {
  const longer = Math.max(size.height, size.width, 1);
  return target / longer;
}

export function boxToRect(box: Box, { scale, offset }: Placement): Rect {
  const [y0, x0, y1, x1] = box;
  return {
    x: offset.x + x0 * scale,
    y: offset.y + y0 * scale,
    width: (x1 - x0) * scale,
    height: (y1 - y0) * scale,
  };
}

/** A canvas point to continuous input-pixel coordinates (pixel i spans [i, i + 1)). */
export function canvasToInput(point: Point, { scale, offset }: Placement): Point {
  return { y: (point.y - offset.y) / scale, x: (point.x - offset.x) / scale };
}

/** A box as CSS percentages of an image of `size`, for positioning an overlay on a thumbnail. */
export function boxToPercent(
  box: Box,
  size: Size,
): { top: string; left: string; width: string; height: string } {
  const pct = (v: number, of: number) => `${((v / of) * 100).toFixed(3)}%`;
  const [y0, x0, y1, x1] = box;
  return {
    top: pct(y0, size.height),
    left: pct(x0, size.width),
    width: pct(x1 - x0, size.width),
    height: pct(y1 - y0, size.height),
  };
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(Math.max(value, low), high);
}
