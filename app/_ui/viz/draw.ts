// Canvas drawing helpers. Images are drawn nearest-neighbour so individual input pixels stay visible.
import type { PixelImage, RgbaTile } from '@/lib/viz';
import type { Point, Rect } from './geometry';
import { pixelImageToRgba } from './pixels';

// One offscreen canvas per pixel buffer, so redrawing (e.g. while dragging) does not re-upload it.
const sources = new WeakMap<object, HTMLCanvasElement>();

/** An offscreen canvas holding RGBA bytes at their natural size, cached per `key` object. */
export function rgbaSource(rgba: Uint8ClampedArray, width: number, height: number, key: object = rgba) {
  const cached = sources.get(key);
  if (cached && cached.width === width && cached.height === height) return cached;
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  const bytes = new Uint8ClampedArray(rgba.length);
  bytes.set(rgba);
  canvas.getContext('2d')?.putImageData(new ImageData(bytes, width, height), 0, 0);
  sources.set(key, canvas);
  return canvas;
}

export function pixelImageSource(image: PixelImage): HTMLCanvasElement {
  const cached = sources.get(image);
  if (cached) return cached;
  return rgbaSource(pixelImageToRgba(image), image.width, image.height, image);
}

export function tileSource(tile: RgbaTile): HTMLCanvasElement {
  return rgbaSource(tile.data, tile.width, tile.height, tile);
}

/** Draws a source scaled into `rect`: nearest-neighbour unless `smooth`. */
export function drawScaled(
  ctx: CanvasRenderingContext2D,
  source: CanvasImageSource,
  rect: Rect,
  smooth = false,
): void {
  ctx.save();
  ctx.imageSmoothingEnabled = smooth;
  if (smooth) ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, rect.x, rect.y, rect.width, rect.height);
  ctx.restore();
}

export interface StrokeStyle {
  colour: string;
  lineWidth: number;
  dash?: number[];
  /** A wider stroke drawn first underneath, so the line reads on light and dark images alike. */
  halo?: string;
}

export function strokeBox(ctx: CanvasRenderingContext2D, rect: Rect, style: StrokeStyle): void {
  ctx.save();
  ctx.setLineDash(style.dash ?? []);
  if (style.halo) {
    ctx.strokeStyle = style.halo;
    ctx.lineWidth = style.lineWidth + 2;
    ctx.strokeRect(rect.x, rect.y, rect.width, rect.height);
  }
  ctx.strokeStyle = style.colour;
  ctx.lineWidth = style.lineWidth;
  ctx.strokeRect(rect.x, rect.y, rect.width, rect.height);
  ctx.restore();
}

/** Horizontal and vertical lines across `area` at canvas coordinates `ys` and `xs`. */
export function drawLines(
  ctx: CanvasRenderingContext2D,
  ys: number[],
  xs: number[],
  area: Rect,
  colour: string,
): void {
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const y of ys) {
    ctx.moveTo(area.x, Math.round(y) + 0.5);
    ctx.lineTo(area.x + area.width, Math.round(y) + 0.5);
  }
  for (const x of xs) {
    ctx.moveTo(Math.round(x) + 0.5, area.y);
    ctx.lineTo(Math.round(x) + 0.5, area.y + area.height);
  }
  ctx.stroke();
  ctx.restore();
}

/** A colour table drawn as a bar, low values on the left (or at the bottom when vertical). */
export function drawColourBar(
  ctx: CanvasRenderingContext2D,
  lut: Uint8ClampedArray,
  rect: Rect,
  vertical = false,
): void {
  const steps = lut.length / 4;
  const opaque = new Uint8ClampedArray(lut.length);
  for (let i = 0; i < steps; i++) {
    // Vertical bars put the high end at the top.
    const k = vertical ? steps - 1 - i : i;
    opaque.set([lut[k * 4], lut[k * 4 + 1], lut[k * 4 + 2], 255], i * 4);
  }
  const source = rgbaSource(opaque, vertical ? 1 : steps, vertical ? steps : 1);
  drawScaled(ctx, source, rect, true);
}

/** A pointer event's position in the canvas's CSS coordinate system of `width`×`height`, whatever its on-screen size. */
export function pointerOnCanvas(
  event: { clientX: number; clientY: number },
  canvas: HTMLCanvasElement,
  width: number,
  height: number,
): Point {
  const bounds = canvas.getBoundingClientRect();
  return {
    x: ((event.clientX - bounds.left) / Math.max(bounds.width, 1)) * width,
    y: ((event.clientY - bounds.top) / Math.max(bounds.height, 1)) * height,
  };
}
