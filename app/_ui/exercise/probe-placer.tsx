'use client';

import type { KeyboardEvent, PointerEvent } from 'react';
import { clampProbe, type InputSize, type Point } from '@/lib/protocol/occlusion-grid';
import type { PixelImage } from '@/lib/viz';
import { CellCanvas } from './cell-canvas';

const DISPLAY = 224;

/**
 * Where the exercise's patch goes, chosen on the instructor's screen only (not in the shared view, where
 * following students would see the probability there). Click to centre the patch; arrow keys move it.
 */
export function ProbePlacer({
  image,
  inputSize,
  patch,
  at,
  onMove,
}: {
  image: PixelImage | null;
  inputSize: InputSize;
  patch: number;
  at: Point;
  onMove: (at: Point) => void;
}) {
  const move = (to: Point) => onMove(clampProbe(to, patch, inputSize));
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    const bounds = event.currentTarget.getBoundingClientRect();
    const y = ((event.clientY - bounds.top) / Math.max(bounds.height, 1)) * inputSize.height;
    const x = ((event.clientX - bounds.left) / Math.max(bounds.width, 1)) * inputSize.width;
    move({ y: Math.round(y - patch / 2), x: Math.round(x - patch / 2) });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const step = event.shiftKey ? Math.max(1, Math.round(patch / 2)) : 1;
    const delta: Record<string, Point> = {
      ArrowUp: { y: -step, x: 0 },
      ArrowDown: { y: step, x: 0 },
      ArrowLeft: { y: 0, x: -step },
      ArrowRight: { y: 0, x: step },
    };
    const d = delta[event.key];
    if (!d) return;
    event.preventDefault();
    move({ y: at.y + d.y, x: at.x + d.x });
  };
  return (
    <div
      role="slider"
      tabIndex={0}
      aria-label="Where the exercise's patch goes: click, or use the arrow keys (Shift for larger steps)"
      aria-valuetext={`y ${at.y}, x ${at.x}`}
      aria-valuenow={at.y * inputSize.width + at.x}
      data-testid="exercise-probe-placer"
      data-y={at.y}
      data-x={at.x}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
      className="inline-block max-w-full cursor-crosshair rounded-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600"
    >
      <CellCanvas
        image={image}
        inputSize={inputSize}
        grid={null}
        patch={{ y: at.y, x: at.x, size: patch }}
        displaySize={DISPLAY}
        label={`The image with the exercise's grey ${patch} px patch at y ${at.y}, x ${at.x}`}
      />
    </div>
  );
}
