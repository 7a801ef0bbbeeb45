// Synthetic "neurons that fire" results for the gallery: SVG thumbnails and made-up activations.

import type { TopActivatingResult } from '@/lib/viz';
import { clipBox, neuronBox } from '@/lib/viz';
import { FIELDS, random, SIDE } from './synthetic';

const IMAGE_COUNT = 40;

/** An SVG thumbnail per image id: a gradient and a shape, different for every id. */
export function syntheticImageUrl(imageId: string): string {
  const n = Number(imageId.replace(/\D/g, '')) || 0;
  const hue = (n * 47) % 360;
  const shape =
    n % 3 === 0
      ? `<circle cx="${16 + (n % 5) * 8}" cy="${20 + (n % 4) * 7}" r="10" fill="hsl(${(hue + 180) % 360} 80% 55%)"/>`
      : n % 3 === 1
        ? `<rect x="${10 + (n % 6) * 6}" y="${8 + (n % 5) * 8}" width="16" height="16" fill="hsl(${(hue + 120) % 360} 70% 35%)"/>`
        : `<path d="M0 ${20 + (n % 7) * 5} L64 ${50 - (n % 5) * 6}" stroke="white" stroke-width="5"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><defs><linearGradient id="g" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 60% 70%)"/><stop offset="1" stop-color="hsl(${(hue + 60) % 360} 60% 35%)"/></linearGradient></defs><rect width="64" height="64" fill="url(#g)"/>${shape}</svg>`;
  return `data:image/svg+xml;utf8,${encodeURIComponent(svg)}`;
}

/** Top-k images per channel of conv3 with made-up values and positions. */
export function syntheticTopActivating(channels: number[], k = 6, imagesSeen = 1000): TopActivatingResult {
  const field = FIELDS.get('conv3');
  if (!field) throw new Error('conv3 has no receptive field');
  const next = random(11);
  return {
    layer: 'conv3',
    k,
    height: 15,
    width: 15,
    imagesSeen,
    channels: channels.map((channel) => {
      const start = 4 + next() * 6;
      const picked = new Set<number>();
      const top = Array.from({ length: k }, (_, rank) => {
        let id = Math.floor(next() * IMAGE_COUNT);
        while (picked.has(id)) id = (id + 1) % IMAGE_COUNT;
        picked.add(id);
        const y = Math.floor(next() * 15);
        const x = Math.floor(next() * 15);
        const box = neuronBox(field, y, x);
        return {
          imageId: `img-${id}`,
          value: start * 0.85 ** rank,
          y,
          x,
          box,
          clippedBox: clipBox(box, SIDE, SIDE),
        };
      });
      return { channel, top };
    }),
  };
}
