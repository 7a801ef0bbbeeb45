// Occlusion map cells back onto image pixels, for drawing the heatmap over the photo.
import type { OcclusionMap } from './occlusion';

/**
 * Per pixel, the mean drop over every patch position that covered it (NaN where no patch did, e.g.
 * a border strip narrower than the stride). Overlapping patches make this a smooth map at pixel
 * resolution whose values stay in the range of the cell drops.
 */
export function pixelDrop(map: OcclusionMap, height: number, width: number): Float32Array {
  const sum = new Float64Array(height * width);
  const count = new Uint16Array(height * width);
  for (let r = 0; r < map.rows; r++) {
    for (let c = 0; c < map.cols; c++) {
      const drop = map.drop[r * map.cols + c];
      const y0 = r * map.stride;
      const x0 = c * map.stride;
      for (let y = y0; y < Math.min(height, y0 + map.patch); y++) {
        for (let x = x0; x < Math.min(width, x0 + map.patch); x++) {
          sum[y * width + x] += drop;
          count[y * width + x]++;
        }
      }
    }
  }
  const out = new Float32Array(height * width);
  for (let i = 0; i < out.length; i++) out[i] = count[i] > 0 ? sum[i] / count[i] : Number.NaN;
  return out;
}

/** The largest |drop| in the map, at least `floor`, so a colour scale symmetric about 0 can be set. */
export function dropExtent(map: OcclusionMap, floor = 1e-6): number {
  let extent = floor;
  for (const d of map.drop) extent = Math.max(extent, Math.abs(d));
  return extent;
}
