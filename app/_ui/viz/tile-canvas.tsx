'use client';

import { useLayoutEffect, useRef } from 'react';
import type { RgbaTile } from '@/lib/viz';

/** A tiny RGBA tile (a filter, 1×1 to 11×11 px) blown up with hard pixel edges. */
export function TileCanvas({ tile, size, label }: { tile: RgbaTile; size: number; label: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const bytes = new Uint8ClampedArray(tile.data.length);
    bytes.set(tile.data);
    ctx.putImageData(new ImageData(bytes, tile.width, tile.height), 0, 0);
  }, [tile]);
  const aspect = tile.width / Math.max(tile.height, 1);
  return (
    <canvas
      ref={ref}
      width={tile.width}
      height={tile.height}
      role="img"
      aria-label={label}
      className="block bg-slate-200"
      style={{
        width: size * Math.min(1, aspect),
        height: size / Math.max(1, aspect),
        imageRendering: 'pixelated',
      }}
    />
  );
}
