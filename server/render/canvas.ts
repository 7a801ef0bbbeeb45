// Composition of PNG figures with sharp: raw pixel panels, SVG text and outlines on a white page.
import sharp from 'sharp';
import type { PixelImage } from '@/lib/viz';

export interface Placed {
  png: Buffer;
  left: number;
  top: number;
}

/** Any 1-, 3- or 4-channel pixel image as RGBA. */
export function toRgba(image: {
  height: number;
  width: number;
  channels: number;
  data: ArrayLike<number>;
}): Uint8ClampedArray {
  const { height, width, channels, data } = image;
  const out = new Uint8ClampedArray(height * width * 4);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) out[p * 4 + c] = data[p * channels + (channels >= 3 ? c : 0)];
    out[p * 4 + 3] = channels === 4 ? data[p * 4 + 3] : 255;
  }
  return out;
}

/** An RGBA buffer resized to width x height ('nearest' keeps kernel pixels crisp). */
export async function panel(
  rgba: Uint8ClampedArray | Uint8Array,
  height: number,
  width: number,
  out: { width: number; height: number; kernel?: 'nearest' | 'cubic' },
): Promise<Buffer> {
  return sharp(Buffer.from(rgba.buffer, rgba.byteOffset, rgba.byteLength), {
    raw: { width, height, channels: 4 },
  })
    .resize(out.width, out.height, { kernel: out.kernel ?? 'nearest', fit: 'fill' })
    .png()
    .toBuffer();
}

export function pixelPanel(image: PixelImage, out: { width: number; height: number }): Promise<Buffer> {
  return panel(toRgba(image), image.height, image.width, { ...out, kernel: 'cubic' });
}

export function escapeXml(text: string): string {
  return text.replace(
    /[<>&'"]/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', "'": '&apos;', '"': '&quot;' })[c]!,
  );
}

export function svg(width: number, height: number, body: string): Buffer {
  return Buffer.from(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="DejaVu Sans, sans-serif">${body}</svg>`,
  );
}

export function text(
  x: number,
  y: number,
  content: string,
  options: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    weight?: 'bold' | 'normal';
    fill?: string;
  } = {},
): string {
  return `<text x="${x}" y="${y}" font-size="${options.size ?? 13}" text-anchor="${options.anchor ?? 'start'}" font-weight="${options.weight ?? 'normal'}" fill="${options.fill ?? '#222'}">${escapeXml(content)}</text>`;
}

export function rect(
  x: number,
  y: number,
  width: number,
  height: number,
  options: { stroke?: string; strokeWidth?: number; fill?: string } = {},
): string {
  return `<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="${options.fill ?? 'none'}" stroke="${options.stroke ?? 'none'}" stroke-width="${options.strokeWidth ?? 1}"/>`;
}

/** A white page of width x height with the panels and one SVG overlay on top, as PNG. */
export async function compose(
  width: number,
  height: number,
  panels: Placed[],
  overlay: string,
): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: '#ffffff' } })
    .composite([
      ...panels.map((p) => ({ input: p.png, left: Math.round(p.left), top: Math.round(p.top) })),
      { input: svg(width, height, overlay), left: 0, top: 0 },
    ])
    .png()
    .toBuffer();
}
