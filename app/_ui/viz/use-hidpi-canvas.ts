'use client';

import { useLayoutEffect, useRef } from 'react';

/**
 * A canvas ref drawn in CSS pixels (`width`×`height`) on a backing store scaled by devicePixelRatio,
 * so lines stay sharp on projectors and high-density screens. `draw` runs whenever it changes:
 * pass a memoised callback.
 */
export function useHiDpiCanvas(width: number, height: number, draw: (ctx: CanvasRenderingContext2D) => void) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const canvas = ref.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx) return;
    const ratio = window.devicePixelRatio || 1;
    const w = Math.round(width * ratio);
    const h = Math.round(height * ratio);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    draw(ctx);
  }, [width, height, draw]);
  return ref;
}
