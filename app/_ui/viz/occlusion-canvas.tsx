'use client';

import {
  type KeyboardEvent,
  type PointerEvent,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { gridExtent } from '@/lib/protocol/occlusion-grid';
import type { OcclusionMap, PixelImage } from '@/lib/viz';
import { valuesToRgba } from './colour';
import { drawScaled, pixelImageSource, pointerOnCanvas, rgbaSource, strokeBox } from './draw';
import { boxToRect, canvasToInput, type Placement, type Point, type Size } from './geometry';
import { dropChecksum, maxDrop, moveProbeByKey, probeAt } from './occlusion-geometry';
import { throttle } from './throttle';
import { useHiDpiCanvas } from './use-hidpi-canvas';

/** Probe updates while dragging are sent at most this often (~20 per second); the last one always goes. */
const PROBE_INTERVAL_MS = 50;

export interface OcclusionCanvasProps {
  image: PixelImage | null;
  inputSize: Size;
  map: OcclusionMap | null;
  /** Colour table for drop 0..max (with its own alpha ramp). */
  lut: Uint8ClampedArray;
  probe: Point | null;
  patch: number;
  scale: number;
  /** Interpolate the heatmap between cell centres instead of drawing one flat square per cell. */
  smooth: boolean;
  label: string;
  onProbe?: (probe: Point | null, settled: boolean) => void;
}

export function OcclusionCanvas({
  image,
  inputSize,
  map,
  lut,
  probe,
  patch,
  scale,
  smooth,
  label,
  onProbe,
}: OcclusionCanvasProps) {
  const width = inputSize.width * scale;
  const height = inputSize.height * scale;
  const placement = useMemo<Placement>(() => ({ scale, offset: { x: 0, y: 0 } }), [scale]);

  // While dragging (and until the parent's probe catches up) the patch follows the pointer locally.
  const [local, setLocal] = useState<Point | null>(null);
  const [dragging, setDragging] = useState(false);
  // Handlers read the ref: several pointer events can arrive before React re-renders with the new state.
  const dragRef = useRef(false);
  const [seenProbe, setSeenProbe] = useState(probe);
  if (probe !== seenProbe) {
    setSeenProbe(probe);
    if (!dragging) setLocal(null);
  }
  const shown = local ?? probe;

  const onProbeRef = useRef(onProbe);
  useEffect(() => {
    onProbeRef.current = onProbe;
  });
  // While dragging: throttled, ephemeral positions; where the patch is let go: one settled position.
  const send = useMemo(
    () => throttle((p: Point | null) => onProbeRef.current?.(p, false), PROBE_INTERVAL_MS),
    [],
  );
  useEffect(() => () => send.cancel(), [send]);
  const lastRef = useRef<Point | null>(null);

  const heat = useMemo(() => {
    if (!map) return null;
    const rgba = valuesToRgba(map.drop, 0, maxDrop(map.drop), lut);
    return { rgba, checksum: dropChecksum(map.drop) };
  }, [map, lut]);

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const area = { x: 0, y: 0, width: inputSize.width * scale, height: inputSize.height * scale };
      if (image) drawScaled(ctx, pixelImageSource(image), area);
      else {
        ctx.fillStyle = '#cbd5e1';
        ctx.fillRect(area.x, area.y, area.width, area.height);
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(area.x, area.y, area.width, area.height);
      ctx.clip();
      if (map && heat) {
        drawScaled(
          ctx,
          rgbaSource(heat.rgba, map.cols, map.rows),
          boxToRect(gridExtent(map), placement),
          smooth,
        );
      }
      if (shown) {
        const rect = boxToRect([shown.y, shown.x, shown.y + patch, shown.x + patch], placement);
        ctx.fillStyle = 'rgb(128, 128, 128)';
        ctx.fillRect(rect.x, rect.y, rect.width, rect.height);
        strokeBox(ctx, rect, { colour: '#ffffff', lineWidth: 2, halo: 'rgba(15, 23, 42, 0.8)' });
      }
      ctx.restore();
    },
    [image, inputSize, map, heat, shown, patch, scale, placement, smooth],
  );
  const ref = useHiDpiCanvas(width, height, draw);

  const probeFor = (event: { clientX: number; clientY: number }): Point | null =>
    ref.current
      ? probeAt(
          canvasToInput(pointerOnCanvas(event, ref.current, width, height), placement),
          patch,
          inputSize,
        )
      : null;

  const move = (next: Point | null) => {
    if (!next) return;
    lastRef.current = next;
    setLocal(next);
    send(next);
  };

  const onPointerDown = (event: PointerEvent<HTMLCanvasElement>) => {
    if (!onProbe || event.button > 0) return;
    try {
      event.currentTarget.setPointerCapture(event.pointerId);
    } catch {
      // Synthetic events (tests, some assistive tools) have no active pointer to capture; dragging still works.
    }
    dragRef.current = true;
    setDragging(true);
    move(probeFor(event));
  };
  const onPointerMove = (event: PointerEvent<HTMLCanvasElement>) => {
    if (dragRef.current) move(probeFor(event));
  };
  // Releasing leaves the patch where it is, so the class can read the number; Escape or "Remove patch" clears it.
  const onPointerUp = () => {
    if (!dragRef.current) return;
    dragRef.current = false;
    setDragging(false);
    send.cancel();
    onProbe?.(lastRef.current, true);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLCanvasElement>) => {
    if (!onProbe) return;
    if (event.key === 'Escape') {
      send.cancel();
      setLocal(null);
      onProbe(null, true);
      return;
    }
    const from = shown ?? probeAt({ y: inputSize.height / 2, x: inputSize.width / 2 }, patch, inputSize);
    const next = moveProbeByKey(
      from,
      event.key,
      map?.stride ?? Math.max(1, Math.round(patch / 4)),
      patch,
      inputSize,
    );
    if (!next) return;
    event.preventDefault();
    lastRef.current = next;
    setLocal(next);
    onProbe(next, true);
  };

  return (
    <canvas
      ref={ref}
      data-testid="occlusion-heatmap"
      data-rows={map?.rows ?? 0}
      data-cols={map?.cols ?? 0}
      data-checksum={heat?.checksum ?? ''}
      aria-label={label}
      role={onProbe ? 'application' : 'img'}
      tabIndex={onProbe ? 0 : undefined}
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={onPointerUp}
      onPointerCancel={onPointerUp}
      onKeyDown={onKeyDown}
      className={`block h-auto max-w-full rounded-lg bg-slate-100 focus-visible:outline-4 focus-visible:outline-indigo-500 ${
        onProbe ? 'cursor-grab touch-none active:cursor-grabbing' : ''
      }`}
      style={{ width, aspectRatio: `${width} / ${height}` }}
    />
  );
}
