// Colour maps from d3-scale-chromatic as 256-entry lookup tables.
import {
  interpolateGreys,
  interpolateInferno,
  interpolateRdBu,
  interpolateViridis,
} from 'd3-scale-chromatic';

export type ColourMapName = 'diverging' | 'inferno' | 'viridis' | 'greys';

const interpolators: Record<ColourMapName, (t: number) => string> = {
  // Red for positive, blue for negative.
  diverging: (t) => interpolateRdBu(1 - t),
  inferno: interpolateInferno,
  viridis: interpolateViridis,
  greys: (t) => interpolateGreys(1 - t),
};

export type Rgb = [number, number, number];

export function parseColour(css: string): Rgb {
  const hex = /^#([0-9a-f]{6})$/i.exec(css);
  if (hex) {
    const n = Number.parseInt(hex[1], 16);
    return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
  }
  const rgb = /^rgb\((\d+),\s*(\d+),\s*(\d+)\)$/.exec(css);
  if (rgb) return [Number(rgb[1]), Number(rgb[2]), Number(rgb[3])];
  throw new Error(`unrecognised colour ${css}`);
}

const tables = new Map<ColourMapName, Uint8Array>();

/** 256 RGB triples, index 0 for t = 0 and 255 for t = 1. */
export function colourTable(name: ColourMapName): Uint8Array {
  let table = tables.get(name);
  if (!table) {
    table = new Uint8Array(256 * 3);
    for (let i = 0; i < 256; i++) table.set(parseColour(interpolators[name](i / 255)), i * 3);
    tables.set(name, table);
  }
  return table;
}

/** Colour for t in 0..1 (clamped). */
export function colourAt(name: ColourMapName, t: number): Rgb {
  const i = Math.round(Math.min(1, Math.max(0, t)) * 255);
  const table = colourTable(name);
  return [table[i * 3], table[i * 3 + 1], table[i * 3 + 2]];
}

export function cssColour([r, g, b]: Rgb): string {
  return `rgb(${r},${g},${b})`;
}
