import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { FilterBank } from '@/lib/viz/filters';
import { nearDuplicates, similarityOrder } from '@/lib/viz/filters';
import type { PixelImage } from '@/lib/viz/image';
import type { OcclusionMap } from '@/lib/viz/occlusion';
import { dropExtent, pixelDrop } from '@/lib/viz/occlusion-overlay';
import { colourAt, parseColour } from '@/server/render/colour';
import { renderFiltersPng } from '@/server/render/filters';
import { heatmapOverlay, renderOcclusionPng } from '@/server/render/occlusion';
import { renderTopPng } from '@/server/render/top';

const map: OcclusionMap = {
  rows: 2,
  cols: 2,
  patch: 4,
  stride: 2,
  classIndex: 1,
  baseProb: 0.8,
  prob: Float32Array.from([0.8, 0.2, 0.6, 0.9]),
  drop: Float32Array.from([0, 0.6, 0.2, -0.1]),
};
const image: PixelImage = { height: 7, width: 6, channels: 3, data: new Uint8Array(7 * 6 * 3).fill(200) };

describe('occlusion overlay', () => {
  it('gives each pixel the mean drop of the patches covering it', () => {
    const drop = pixelDrop(map, 7, 6);
    // Pixel (0,0): only patch (0,0). Pixel (2,2): all four. Row 6: no patch reaches it.
    expect(drop[0]).toBeCloseTo(0, 6);
    expect(drop[2 * 6 + 2]).toBeCloseTo((0 + 0.6 + 0.2 - 0.1) / 4, 6);
    expect(drop[0 * 6 + 5]).toBeCloseTo(0.6, 6);
    expect(Number.isNaN(drop[6 * 6])).toBe(true);
    expect(dropExtent(map)).toBeCloseTo(0.6, 6);
  });

  it('paints red over drops and leaves uncovered pixels alone', () => {
    const rgba = heatmapOverlay(image, map);
    const px = (y: number, x: number) => Array.from(rgba.slice((y * 6 + x) * 4, (y * 6 + x) * 4 + 4));
    const [r, g, b] = px(0, 5);
    expect(r).toBeGreaterThan(b);
    expect(g).toBeLessThan(200);
    expect(px(6, 0)).toEqual([200, 200, 200, 255]);
  });

  it('maps colours through d3-scale-chromatic', () => {
    expect(parseColour('#21918c')).toEqual([0x21, 0x91, 0x8c]);
    expect(parseColour('rgb(1, 2, 3)')).toEqual([1, 2, 3]);
    const [r, , b] = colourAt('diverging', 1);
    expect(r).toBeGreaterThan(b);
  });
});

describe('figures', () => {
  it('draws the occlusion, filter and top-k figures as PNGs', async () => {
    const occlusion = await sharp(
      await renderOcclusionPng({ image, map, label: 'dog', modelName: 'test', fill: 'grey' }),
    ).metadata();
    expect(occlusion.format).toBe('png');
    expect(occlusion.width).toBeGreaterThan(600);

    const weights = Float32Array.from({ length: 4 * 3 * 3 * 3 }, (_, i) => Math.sin(i));
    const bank: FilterBank = {
      layer: 'conv1',
      kind: 'conv2d',
      kernelHeight: 3,
      kernelWidth: 3,
      inChannels: 3,
      count: 4,
      weights,
    };
    const matrix = Float32Array.from([1, 0.95, 0, 0, 0.95, 1, 0, 0, 0, 0, 1, -0.2, 0, 0, -0.2, 1]);
    const similarity = {
      count: 4,
      matrix,
      threshold: 0.9,
      nearDuplicates: nearDuplicates(matrix, 4, 0.9),
      order: similarityOrder(matrix, 4),
    };
    const filters = await sharp(await renderFiltersPng({ modelName: 'test', bank, similarity })).metadata();
    expect(filters.format).toBe('png');

    const top = await sharp(
      await renderTopPng({
        modelName: 'test',
        images: new Map([['a', image]]),
        result: {
          layer: 'conv1',
          k: 1,
          height: 3,
          width: 3,
          imagesSeen: 1,
          channels: [
            {
              channel: 0,
              top: [{ imageId: 'a', value: 1.5, y: 1, x: 1, box: [-1, -1, 4, 4], clippedBox: [0, 0, 4, 4] }],
            },
          ],
        },
      }),
    ).metadata();
    expect(top.format).toBe('png');
  });
});
