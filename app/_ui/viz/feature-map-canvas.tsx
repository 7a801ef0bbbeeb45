'use client';

import { type KeyboardEvent, type PointerEvent, useCallback, useMemo } from 'react';
import type { FeatureMaps } from '@/lib/protocol/results';
import { drawScaled, pointerOnCanvas, strokeBox, tileSource } from './draw';
import { channelTile } from './feature-map-tiles';
import type { Point } from './geometry';
import { moveByKey } from './receptive-field-geometry';
import { useHiDpiCanvas } from './use-hidpi-canvas';

/** One channel's map, large, with the picked neuron outlined; clicking or arrow keys pick another. */
export function FeatureMapCanvas({
  maps,
  channel,
  position,
  size,
  label,
  onPick,
}: {
  maps: FeatureMaps;
  channel: number;
  position: Point | null;
  /** Longer side in screen pixels. */
  size: number;
  label: string;
  onPick?: (position: Point) => void;
}) {
  const tile = useMemo(() => channelTile(maps, channel), [maps, channel]);
  const cell = size / Math.max(maps.height, maps.width, 1);
  const width = maps.width * cell;
  const height = maps.height * cell;
  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      drawScaled(ctx, tileSource(tile), { x: 0, y: 0, width, height });
      if (!position) return;
      strokeBox(
        ctx,
        { x: position.x * cell, y: position.y * cell, width: cell, height: cell },
        { colour: '#22d3ee', lineWidth: Math.max(2, Math.min(4, cell / 4)), halo: 'rgba(0,0,0,0.8)' },
      );
    },
    [tile, width, height, position, cell],
  );
  const ref = useHiDpiCanvas(width, height, draw);

  const pick = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!onPick || !ref.current) return;
    const p = pointerOnCanvas(event, ref.current, width, height);
    onPick({
      y: Math.min(maps.height - 1, Math.max(0, Math.floor(p.y / cell))),
      x: Math.min(maps.width - 1, Math.max(0, Math.floor(p.x / cell))),
    });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onPick) return;
    const from = position ?? { y: Math.floor(maps.height / 2), x: Math.floor(maps.width / 2) };
    const next = moveByKey(from, event.key, { rows: maps.height, cols: maps.width });
    if (!next) return;
    event.preventDefault();
    onPick(next);
  };

  return (
    <canvas
      ref={ref}
      data-testid="feature-map-canvas"
      aria-label={label}
      role={onPick ? 'application' : 'img'}
      tabIndex={onPick ? 0 : undefined}
      onPointerDown={pick}
      onKeyDown={onKeyDown}
      className={`block h-auto max-w-full rounded-md focus-visible:outline-4 focus-visible:outline-indigo-500 ${
        onPick ? 'cursor-crosshair' : ''
      }`}
      style={{ width, aspectRatio: `${width} / ${height}` }}
    />
  );
}
