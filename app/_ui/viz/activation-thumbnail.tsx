'use client';

import type { TopActivation } from '@/lib/viz';
import { boxToPercent, type Size } from './geometry';

export interface ActivationThumbnailProps {
  activation: TopActivation;
  src: string;
  /** The model's input size: boxes are in its pixels, and the image at `src` is assumed to be that crop. */
  inputSize: Size;
  size: number;
  alt: string;
  rank: number;
  /** What the image is (its ImageNet class, the digit), printed under it. */
  caption?: string;
}

/** One top-activating image with the receptive field of the maximum as a white box with a dark outline. */
export function ActivationThumbnail({
  activation,
  src,
  inputSize,
  size,
  alt,
  rank,
  caption,
}: ActivationThumbnailProps) {
  const box = boxToPercent(activation.clippedBox, inputSize);
  return (
    <figure
      className="flex flex-col items-center gap-1"
      data-testid="activation-thumbnail"
      data-image-id={activation.imageId}
    >
      <div className="relative overflow-hidden rounded-md bg-slate-200" style={{ width: size, height: size }}>
        {/* biome-ignore lint/performance/noImgElement: a plain img keeps the box aligned to the model-input crop */}
        <img
          src={src}
          alt={alt}
          width={size}
          height={size}
          className="h-full w-full object-fill"
          draggable={false}
        />
        <div
          aria-hidden
          className="pointer-events-none absolute border-2 border-white"
          style={{ ...box, boxShadow: '0 0 0 1px rgba(15,23,42,0.85), inset 0 0 0 1px rgba(15,23,42,0.85)' }}
        />
        <span className="absolute left-0.5 top-0.5 rounded bg-slate-900/80 px-1 text-xs font-medium text-white">
          {rank}
        </span>
      </div>
      <figcaption className="flex flex-col items-center text-center" style={{ maxWidth: size }}>
        <span className="text-base font-semibold tabular-nums text-slate-800">
          {formatActivation(activation.value)}
        </span>
        {caption && (
          <span
            data-testid="thumbnail-caption"
            className="w-full truncate text-sm text-slate-700"
            title={caption}
          >
            {caption}
          </span>
        )}
      </figcaption>
    </figure>
  );
}

export function formatActivation(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 100) return value.toFixed(0);
  if (magnitude >= 10) return value.toFixed(1);
  return value.toFixed(2);
}
