'use client';

import { useLayoutEffect, useRef } from 'react';
import { fnv1a32Bytes } from '@/lib/protocol/hash';
import type { Box } from '@/lib/protocol/model';
import type { FeatureVisResult } from '@/lib/protocol/results';
import type { PixelImage } from '@/lib/viz';
import { pixelImageToRgba } from './pixels';
import { ProgressBar } from './progress-bar';

export interface FeatureVisViewProps {
  /** The final result, or the latest preview while it forms. */
  result: FeatureVisResult | null;
  /** True while the optimisation is still running. */
  running: boolean;
  /** Receptive field of the neuron (or of one neuron of the channel), drawn on each image; input pixels. */
  box?: Box | null;
  /** Side of each image on screen. */
  size?: number;
}

/** Images optimised to excite a neuron, forming step by step, with the objective each reaches. */
export function FeatureVisView({ result, running, box, size = 224 }: FeatureVisViewProps) {
  return (
    <section
      data-testid="feature-vis-view"
      data-step={result?.step}
      data-steps={result?.steps}
      aria-label="Feature visualisation"
      className="space-y-3"
    >
      {result ? (
        <p className="text-sm text-slate-700" data-testid="feature-vis-step">
          Step {result.step} of {result.steps}
          {running ? ' (forming…)' : ''} · {objectiveText(result)} reached{' '}
          <span className="font-mono">{result.values.map((v) => v.toFixed(2)).join(', ')}</span>
        </p>
      ) : (
        <p className="text-sm text-slate-600">{running ? 'Starting from noise…' : 'Not started.'}</p>
      )}
      {result && running && (
        <ProgressBar done={result.step} total={result.steps} unit="steps" label="Optimisation steps" />
      )}
      {result && (
        <ul className="flex flex-wrap gap-3">
          {result.images.map((image, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: image i of the batch stays image i at every step
            <li key={i}>
              <PixelCanvas image={image} box={box ?? null} size={size} label={`Optimised image ${i + 1}`} />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function objectiveText(result: FeatureVisResult): string {
  const o = result.objective;
  if (o.kind === 'class') return `class ${o.classIndex} logit`;
  if (o.kind === 'neuron') return `${o.layer} channel ${o.channel} at (${o.y}, ${o.x})`;
  return `${o.layer} channel ${o.channel} (mean)`;
}

/** An 8-bit image scaled to `size`, with a receptive-field box outlined. */
function PixelCanvas({
  image,
  box,
  size,
  label,
}: {
  image: PixelImage;
  box: Box | null;
  size: number;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useLayoutEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const bytes = new Uint8ClampedArray(image.height * image.width * 4);
    bytes.set(pixelImageToRgba(image));
    ctx.putImageData(new ImageData(bytes, image.width, image.height), 0, 0);
  }, [image]);
  const scale = size / Math.max(image.height, image.width);
  return (
    <div className="relative" style={{ width: image.width * scale, height: image.height * scale }}>
      <canvas
        ref={ref}
        width={image.width}
        height={image.height}
        role="img"
        aria-label={label}
        // A fingerprint of the pixels, so a browser test can compare images from two computers cheaply.
        data-checksum={fnv1a32Bytes(image.data).toString(16).padStart(8, '0')}
        className="block h-full w-full bg-slate-200"
        style={{ imageRendering: image.width < 64 ? 'pixelated' : 'auto' }}
      />
      {box && (
        <div
          data-testid="feature-vis-box"
          className="pointer-events-none absolute border-2 border-amber-400"
          style={{
            top: Math.max(0, box[0]) * scale,
            left: Math.max(0, box[1]) * scale,
            height: (Math.min(image.height, box[2]) - Math.max(0, box[0])) * scale,
            width: (Math.min(image.width, box[3]) - Math.max(0, box[1])) * scale,
          }}
        />
      )}
    </div>
  );
}
