// Occlusion map geometry and numbers for the view: the draggable probe, the drop range and a checksum.
// Cells and their boxes come from lib/protocol/occlusion-grid.ts.

import { clampProbe } from '@/lib/protocol/occlusion-grid';
import type { Point, Size } from './geometry';

/**
 * The probe's top-left corner for a pointer at `point` (input pixels): the patch is centred on the
 * pointer, in whole pixels, and its centre stays inside the image (the patch may hang over the edge).
 */
export function probeAt(point: Point, patch: number, image: Size): Point {
  return clampProbe({ y: point.y - patch / 2, x: point.x - patch / 2 }, patch, image);
}

/** The probe moved by `step` pixels with an arrow key, keeping its centre inside the image; null for other keys. */
export function moveProbeByKey(
  probe: Point,
  key: string,
  step: number,
  patch: number,
  image: Size,
): Point | null {
  const delta: Record<string, Point> = {
    ArrowUp: { y: -step, x: 0 },
    ArrowDown: { y: step, x: 0 },
    ArrowLeft: { y: 0, x: -step },
    ArrowRight: { y: 0, x: step },
  };
  const d = delta[key];
  if (!d) return null;
  return clampProbe({ y: probe.y + d.y, x: probe.x + d.x }, patch, image);
}

/** The largest drop in the map, never below `floor` (a colour scale needs a non-empty range). */
export function maxDrop(drop: ArrayLike<number>, floor = 1e-6): number {
  let most = floor;
  for (let i = 0; i < drop.length; i++) if (drop[i] > most) most = drop[i];
  return most;
}

/**
 * FNV-1a over the drop values rounded to 1e-3, as 8 hex digits: equal for two maps whose values agree
 * to the third decimal (up to rounding at the boundary), so a browser test can compare maps cheaply.
 */
export function dropChecksum(drop: ArrayLike<number>): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < drop.length; i++) {
    // `| 0` folds -0 into 0; NaN becomes 0 too.
    let q = Math.round(drop[i] * 1000) | 0;
    for (let b = 0; b < 4; b++) {
      hash ^= q & 0xff;
      hash = Math.imul(hash, 0x01000193);
      q >>>= 8;
    }
  }
  return (hash >>> 0).toString(16).padStart(8, '0');
}
