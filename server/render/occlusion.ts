// The occlusion map as a figure: the photo, the drop heatmap over it, and a colour bar.
import type { OcclusionMap, PixelImage } from '@/lib/viz';
import { dropExtent, pixelDrop } from '@/lib/viz';
import { compose, panel, pixelPanel, rect, text, toRgba } from './canvas';
import { colourAt } from './colour';
import { colourBar } from './colour-bar';

export interface OcclusionFigure {
  image: PixelImage;
  map: OcclusionMap;
  /** Class name for the title. */
  label: string;
  modelName: string;
  fill: string;
}

const SIDE = 336;
const MARGIN = 24;
const TITLE = 62;
const FOOTER = 44;
const MIN_ALPHA = 0.2;
const MAX_ALPHA = 0.85;

/**
 * Image pixels blended with the diverging colour of each pixel's mean drop (−m..m, m = largest |drop|);
 * the stronger the drop, the more opaque the colour, so regions that do not matter keep the photo visible.
 */
export function heatmapOverlay(image: PixelImage, map: OcclusionMap): Uint8ClampedArray {
  const base = toRgba(image);
  const drops = pixelDrop(map, image.height, image.width);
  const extent = dropExtent(map);
  for (let p = 0; p < drops.length; p++) {
    if (Number.isNaN(drops[p])) continue;
    const t = drops[p] / extent;
    const colour = colourAt('diverging', (t + 1) / 2);
    const alpha = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * Math.abs(t);
    for (let c = 0; c < 3; c++)
      base[p * 4 + c] = Math.round((1 - alpha) * base[p * 4 + c] + alpha * colour[c]);
  }
  return base;
}

function formatDrop(v: number): string {
  return `${v >= 0 ? '+' : '−'}${Math.abs(v).toFixed(Math.abs(v) < 0.01 ? 4 : 2)}`;
}

export async function renderOcclusionPng(figure: OcclusionFigure): Promise<Buffer> {
  const { image, map } = figure;
  const scale = SIDE / Math.max(image.height, image.width);
  const h = Math.round(image.height * scale);
  const w = Math.round(image.width * scale);
  const barLeft = MARGIN * 2 + w * 2 + 16;
  const width = barLeft + 18 + 70;
  const height = TITLE + h + FOOTER;
  const extent = dropExtent(map);

  const photo = await pixelPanel(image, { width: w, height: h });
  const overlay = await panel(heatmapOverlay(image, map), image.height, image.width, {
    width: w,
    height: h,
    kernel: 'cubic',
  });
  const bar = await colourBar(
    'diverging',
    -extent,
    extent,
    [
      { value: extent, label: formatDrop(extent) },
      { value: 0, label: '0' },
      { value: -extent, label: formatDrop(-extent) },
    ],
    { left: barLeft, top: TITLE, width: 18, height: h },
  );
  // The patch to scale, in the top-left corner of the heatmap.
  const patchPx = map.patch * scale;
  const svgBody = [
    text(MARGIN, 24, `Occlusion · ${figure.modelName} · “${figure.label}” (class ${map.classIndex})`, {
      size: 16,
      weight: 'bold',
    }),
    text(
      MARGIN,
      46,
      `p = ${map.baseProb.toFixed(3)} on the clean image · patch ${map.patch}px, stride ${map.stride}px, fill ${figure.fill} · ${map.rows}×${map.cols} positions`,
      { size: 12 },
    ),
    text(MARGIN + w / 2, TITLE + h + 18, 'input', { anchor: 'middle', size: 12 }),
    text(MARGIN * 2 + w + w / 2, TITLE + h + 18, 'drop in p when covered (mean over covering patches)', {
      anchor: 'middle',
      size: 12,
    }),
    text(
      MARGIN * 2 + w + w / 2,
      TITLE + h + 36,
      'red: covering it hurts the class · blue: covering it helps · white square: the patch',
      {
        anchor: 'middle',
        size: 11,
        fill: '#555',
      },
    ),
    rect(MARGIN * 2 + w + 0.5, TITLE + 0.5, patchPx, patchPx, { stroke: '#fff', strokeWidth: 1.5 }),
    text(barLeft + 9, TITLE - 6, 'drop', { anchor: 'middle', size: 11 }),
    bar.labels,
  ].join('');
  return compose(
    width,
    height,
    [
      { png: photo, left: MARGIN, top: TITLE },
      { png: overlay, left: MARGIN * 2 + w, top: TITLE },
      { png: bar.png, left: barLeft, top: TITLE },
    ],
    svgBody,
  );
}
