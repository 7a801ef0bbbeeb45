// Top-activating images as a mosaic: one row per channel, the k images best first, each with the
// receptive field of its strongest position outlined.
import type { PixelImage, TopActivatingResult } from '@/lib/viz';
import { compose, type Placed, pixelPanel, rect, text } from './canvas';

export interface TopFigure {
  modelName: string;
  result: TopActivatingResult;
  /** Pixels (model input size) of every image that appears in the result, by id. */
  images: Map<string, PixelImage>;
  /** Rows shown at most; the rest are counted in the footer. */
  maxRows?: number;
}

const MARGIN = 24;
const LABEL = 64;
const THUMB = 104;
const GAP = 6;
const CAPTION = 18;

export async function renderTopPng(figure: TopFigure): Promise<Buffer> {
  const { result } = figure;
  const rows = result.channels.slice(0, figure.maxRows ?? 16);
  const top = 66;
  const panels: Placed[] = [];
  let svg =
    text(MARGIN, 26, `Images that fire ${result.layer} most · ${figure.modelName}`, {
      size: 16,
      weight: 'bold',
    }) +
    text(
      MARGIN,
      46,
      `top ${result.k} of ${result.imagesSeen} images per channel · box: receptive field of the strongest position`,
      { size: 12 },
    );
  for (let r = 0; r < rows.length; r++) {
    const y = top + r * (THUMB + CAPTION + GAP);
    svg += text(MARGIN, y + THUMB / 2 + 4, `ch ${rows[r].channel}`, { size: 13, weight: 'bold' });
    for (let i = 0; i < rows[r].top.length; i++) {
      const entry = rows[r].top[i];
      const image = figure.images.get(entry.imageId);
      const x = MARGIN + LABEL + i * (THUMB + GAP);
      if (!image) continue;
      panels.push({ png: await pixelPanel(image, { width: THUMB, height: THUMB }), left: x, top: y });
      const sy = THUMB / image.height;
      const sx = THUMB / image.width;
      const [y0, x0, y1, x1] = entry.clippedBox;
      const box = [
        x + x0 * sx,
        y + y0 * sy,
        Math.max(1, (x1 - x0) * sx),
        Math.max(1, (y1 - y0) * sy),
      ] as const;
      svg += rect(box[0], box[1], box[2], box[3], { stroke: '#000', strokeWidth: 3 });
      svg += rect(box[0], box[1], box[2], box[3], { stroke: '#ffd400', strokeWidth: 1.5 });
      svg += text(x + THUMB / 2, y + THUMB + 13, entry.value.toFixed(2), {
        size: 11,
        anchor: 'middle',
        fill: '#444',
      });
    }
  }
  const hidden = result.channels.length - rows.length;
  const bottom = top + rows.length * (THUMB + CAPTION + GAP);
  if (hidden > 0) svg += text(MARGIN, bottom + 8, `… ${hidden} more channels not drawn`, { size: 12 });
  const width = MARGIN * 2 + LABEL + result.k * (THUMB + GAP);
  return compose(Math.max(width, 560), bottom + (hidden > 0 ? 24 : 4), panels, svg);
}
