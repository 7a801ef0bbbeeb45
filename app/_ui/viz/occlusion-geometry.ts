// Occlusion map geometry and numbers: cell areas, the draggable probe, the drop range and a checksum.
import type { Box } from '@/lib/models/types';
import type { OcclusionMap } from '@/lib/viz/occlusion';
import { clamp, type Point, type Size } from './geometry';

type MapGrid = Pick<OcclusionMap, 'rows' | 'cols' | 'patch' | 'stride'>;

/**
 * The area cell (r, c) is painted over, in input pixels: a stride×stride square centred on the centre
 * of its patch, so neighbouring cells tile the image without overlap.
 */
export function occlusionCellBox(map: MapGrid, r: number, c: number): Box {
  const cy = r * map.stride + map.patch / 2;
  const cx = c * map.stride + map.patch / 2;
  const half = map.stride / 2;
  return [cy - half, cx - half, cy + half, cx + half];
}

/** The box the whole heatmap covers (the union of all cell boxes). */
export function occlusionExtent(map: MapGrid): Box {
  const first = occlusionCellBox(map, 0, 0);
  const last = occlusionCellBox(map, map.rows - 1, map.cols - 1);
  return [first[0], first[1], last[2], last[3]];
}

/**
 * The probe's top-left corner for a pointer at `point` (input pixels): the patch is centred on the
 * pointer, in whole pixels, and its centre stays inside the image (the patch may hang over the edge).
 */
export function probeAt(point: Point, patch: number, image: Size): Point {
  const half = Math.floor(patch / 2);
  return {
    y: clamp(Math.round(point.y - patch / 2), -half, image.height - 1 - half),
    x: clamp(Math.round(point.x - patch / 2), -half, image.width - 1 - half),
  };
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
  const half = Math.floor(patch / 2);
  return {
    y: clamp(probe.y + d.y, -half, image.height - 1 - half),
    x: clamp(probe.x + d.x, -half, image.width - 1 - half),
  };
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
