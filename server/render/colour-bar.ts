// A vertical colour bar with tick labels.

import { panel, text } from './canvas';
import { type ColourMapName, colourTable } from './colour';

export interface ColourBar {
  png: Buffer;
  /** SVG for the tick labels, positioned relative to the page. */
  labels: string;
}

/** Bar of `height` px from `min` (bottom) to `max` (top), placed at (left, top) on the page. */
export async function colourBar(
  map: ColourMapName,
  min: number,
  max: number,
  ticks: { value: number; label: string }[],
  place: { left: number; top: number; width: number; height: number },
): Promise<ColourBar> {
  const table = colourTable(map);
  const rgba = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    // Row 0 is the top of the bar: the maximum.
    const t = 255 - i;
    rgba.set([table[t * 3], table[t * 3 + 1], table[t * 3 + 2], 255], i * 4);
  }
  const png = await panel(rgba, 256, 1, { width: place.width, height: place.height, kernel: 'cubic' });
  const labels = ticks
    .map(({ value, label }) => {
      const y = place.top + ((max - value) / (max - min)) * place.height;
      const x = place.left + place.width;
      return `<line x1="${x}" y1="${y}" x2="${x + 5}" y2="${y}" stroke="#222"/>${text(x + 8, y + 4, label, { size: 12 })}`;
    })
    .join('');
  return { png, labels };
}
