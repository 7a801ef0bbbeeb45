// Colour maps as lookup tables of RGBA bytes, for painting value grids into ImageData.
import { interpolateRdBu } from 'd3-scale-chromatic';

/** A d3-style colour map: t in 0..1 to a CSS colour ("rgb(r, g, b)" or "#rrggbb"). */
export type Interpolator = (t: number) => string;

export type Rgb = [number, number, number];

export function parseCssColour(css: string): Rgb {
  const rgb = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  const hex = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const digits = hex[1].length === 3 ? [...hex[1]].map((d) => d + d).join('') : hex[1];
    return [0, 2, 4].map((i) => Number.parseInt(digits.slice(i, i + 2), 16)) as Rgb;
  }
  throw new Error(`unsupported colour "${css}"`);
}

/** `steps` RGBA entries sampling the colour map evenly from t = 0 to t = 1. */
export function colourLut(
  interpolate: Interpolator,
  steps = 256,
  alphaOf: (t: number) => number = () => 1,
): Uint8ClampedArray {
  const lut = new Uint8ClampedArray(steps * 4);
  for (let i = 0; i < steps; i++) {
    const t = steps === 1 ? 0 : i / (steps - 1);
    const [r, g, b] = parseCssColour(interpolate(t));
    lut.set([r, g, b, Math.round(alphaOf(t) * 255)], i * 4);
  }
  return lut;
}

/** The LUT entry for a value on [min, max] (clamped); -1 for NaN. */
export function lutIndex(value: number, min: number, max: number, steps: number): number {
  if (Number.isNaN(value)) return -1;
  const span = max - min;
  const t = span > 0 ? (value - min) / span : 0;
  return Math.round(Math.min(1, Math.max(0, t)) * (steps - 1));
}

/** One RGBA pixel per value; NaN becomes transparent. */
export function valuesToRgba(
  values: ArrayLike<number>,
  min: number,
  max: number,
  lut: Uint8ClampedArray,
): Uint8ClampedArray {
  const steps = lut.length / 4;
  const out = new Uint8ClampedArray(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    const k = lutIndex(values[i], min, max, steps);
    if (k >= 0) out.set(lut.subarray(k * 4, k * 4 + 4), i * 4);
  }
  return out;
}

export function rgbaCss(lut: Uint8ClampedArray, index: number): string {
  const i = index * 4;
  return `rgba(${lut[i]}, ${lut[i + 1]}, ${lut[i + 2]}, ${(lut[i + 3] / 255).toFixed(3)})`;
}

/** Cosine similarity colours for t = (cos + 1) / 2: blue for opposite filters, white for unrelated, red for alike. */
export const cosineInterpolator: Interpolator = (t) => interpolateRdBu(1 - t);
