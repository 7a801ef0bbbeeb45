// A layer's filters as a figure: the kernels in similarity order, near-duplicates outlined, the
// preferred inputs (first layer) and the cosine-similarity matrix.

import type { RgbaTile } from '@/lib/viz';
import {
  type FilterBank,
  type FilterSimilarity,
  meanOverInputChannels,
  preferredInputs,
  renderColourFilters,
} from '@/lib/viz';
import { compose, type Placed, panel, rect, text } from './canvas';
import { colourAt } from './colour';
import { colourBar } from './colour-bar';

export interface FilterFigure {
  modelName: string;
  bank: FilterBank;
  similarity: FilterSimilarity;
}

const MARGIN = 24;
const GAP = 3;
const GRID_WIDTH = 560;
const MATRIX_SIDE = 360;

/** Planes drawn with the diverging map, 0 at the centre, each scaled to its own largest |value|. */
function divergingTiles(planes: Float32Array[], height: number, width: number): RgbaTile[] {
  return planes.map((plane) => {
    let extent = 1e-12;
    for (const v of plane) extent = Math.max(extent, Math.abs(v));
    const data = new Uint8ClampedArray(height * width * 4);
    plane.forEach((v, i) => {
      data.set([...colourAt('diverging', (v / extent + 1) / 2), 255], i * 4);
    });
    return { height, width, data };
  });
}

function isColourLayer(bank: FilterBank): boolean {
  return bank.kind === 'conv2d' && (bank.inChannels === 3 || bank.inChannels === 1);
}

interface Grid {
  panels: Placed[];
  svg: string;
  height: number;
}

/** Tiles in `order`, wrapped into rows, outlining the filters listed in `marked`. */
async function tileGrid(
  tiles: RgbaTile[],
  order: number[],
  left: number,
  top: number,
  marked: Set<number>,
): Promise<Grid> {
  const columns = Math.ceil(Math.sqrt(tiles.length * 1.5));
  const cell = Math.max(8, Math.floor((GRID_WIDTH - (columns - 1) * GAP) / columns));
  const panels: Placed[] = [];
  let svg = '';
  for (let i = 0; i < order.length; i++) {
    const tile = tiles[order[i]];
    const x = left + (i % columns) * (cell + GAP);
    const y = top + Math.floor(i / columns) * (cell + GAP);
    panels.push({
      png: await panel(tile.data, tile.height, tile.width, { width: cell, height: cell }),
      left: x,
      top: y,
    });
    if (marked.has(order[i]))
      svg += rect(x - 1.5, y - 1.5, cell + 3, cell + 3, { stroke: '#e4007c', strokeWidth: 2 });
  }
  const rows = Math.ceil(order.length / columns);
  return { panels, svg, height: rows * (cell + GAP) - GAP };
}

/** The similarity matrix in `order`, drawn with the diverging map over −1..1. */
function matrixTile(similarity: FilterSimilarity): RgbaTile {
  const { count: n, matrix, order } = similarity;
  const data = new Uint8ClampedArray(n * n * 4);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      data.set([...colourAt('diverging', (matrix[order[i] * n + order[j]] + 1) / 2), 255], (i * n + j) * 4);
    }
  }
  return { height: n, width: n, data };
}

export async function renderFiltersPng(figure: FilterFigure): Promise<Buffer> {
  const { bank, similarity } = figure;
  const colour = isColourLayer(bank);
  const tiles = colour
    ? renderColourFilters(bank, 'per-filter')
    : divergingTiles(meanOverInputChannels(bank), bank.kernelHeight, bank.kernelWidth);
  const flagged = new Set(similarity.nearDuplicates.flatMap((d) => [d.i, d.j]));
  // Outlines only mark exceptions; when most filters have a twin they would hide the tiles.
  const outline = flagged.size <= bank.count / 4;
  const marked = outline ? flagged : new Set<number>();

  let y = 70;
  let svg = '';
  const panels: Placed[] = [];
  const caption = (title: string, detail: string) => {
    svg += text(MARGIN, y, title, { size: 13, weight: 'bold' });
    svg += text(MARGIN, y + 16, detail, { size: 11, fill: '#555' });
    y += 26;
  };
  caption(
    colour || bank.inChannels === 1 ? 'Kernels' : 'Kernels, averaged over input channels',
    colour
      ? 'RGB, each stretched to its own min..max; alike filters sit together'
      : 'red +, blue −, each on its own scale; alike filters sit together',
  );
  const grid = await tileGrid(tiles, similarity.order, MARGIN, y, marked);
  panels.push(...grid.panels);
  svg += grid.svg;
  y += grid.height + 34;

  if (colour) {
    caption(
      'Preferred inputs',
      'the unit-norm patch that fires each filter most, x = w/‖w‖; grey = 0, one scale',
    );
    const preferred = await tileGrid(preferredInputs(bank).tiles, similarity.order, MARGIN, y, new Set());
    panels.push(...preferred.panels);
    y += preferred.height + 34;
  }

  const matrixLeft = MARGIN * 2 + GRID_WIDTH;
  const matrixTop = 96;
  panels.push({
    png: await panel(matrixTile(similarity).data, similarity.count, similarity.count, {
      width: MATRIX_SIDE,
      height: MATRIX_SIDE,
    }),
    left: matrixLeft,
    top: matrixTop,
  });
  const bar = await colourBar(
    'diverging',
    -1,
    1,
    [
      { value: 1, label: '+1' },
      { value: 0, label: '0' },
      { value: -1, label: '−1' },
    ],
    { left: matrixLeft + MATRIX_SIDE + 12, top: matrixTop, width: 14, height: MATRIX_SIDE },
  );
  panels.push({ png: bar.png, left: matrixLeft + MATRIX_SIDE + 12, top: matrixTop });
  svg += bar.labels;
  svg += text(matrixLeft, 70, 'Cosine similarity', { size: 13, weight: 'bold' });
  svg += text(matrixLeft, 86, 'filters flattened, in the same order', { size: 11, fill: '#555' });

  const duplicates = similarity.nearDuplicates;
  let listY = matrixTop + MATRIX_SIDE + 30;
  svg += text(
    matrixLeft,
    listY,
    `${duplicates.length} near-duplicate pair${duplicates.length === 1 ? '' : 's'} (|cos| ≥ ${similarity.threshold})${
      outline ? (duplicates.length > 0 ? ', outlined' : '') : `: ${flagged.size} of ${bank.count} filters`
    }`,
    { size: 12, weight: 'bold', fill: '#e4007c' },
  );
  listY += 4;
  for (const d of duplicates.slice(0, 12)) {
    listY += 17;
    svg += text(matrixLeft, listY, `filters ${d.i} and ${d.j}: cos ${d.cosine.toFixed(3)}`, { size: 12 });
  }
  if (duplicates.length > 12)
    svg += text(matrixLeft, listY + 17, `… and ${duplicates.length - 12} more`, { size: 12 });

  const width = matrixLeft + MATRIX_SIDE + 70;
  const height = Math.max(y, listY + 40);
  const header =
    text(MARGIN, 26, `Filters · ${figure.modelName} · ${bank.layer}`, { size: 16, weight: 'bold' }) +
    text(
      MARGIN,
      46,
      `${bank.count} ${bank.kind === 'depthwise-conv2d' ? 'depthwise ' : ''}filters of ${bank.kernelHeight}×${bank.kernelWidth}×${bank.inChannels}`,
      { size: 12 },
    );
  return compose(width, height, panels, header + svg);
}
