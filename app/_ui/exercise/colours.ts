import { interpolateBlues, interpolateYlOrRd } from 'd3-scale-chromatic';
import { colourLut } from '../viz/colour';

/** The occlusion view's scale (viz/occlusion-view): small drops stay see-through over the image. */
export const DROP_LUT = colourLut(interpolateYlOrRd, 256, (t) => 0.1 + 0.8 * Math.sqrt(t));

/** How many students painted a cell: none is transparent; the most-painted a mid blue the digit shows through. */
export const COUNT_LUT = colourLut(
  (t) => interpolateBlues(0.3 + 0.5 * t),
  256,
  (t) => (t === 0 ? 0 : 0.45 + 0.3 * t),
);
