'use client';

import { interpolateYlOrRd } from 'd3-scale-chromatic';
import type { ComputeJobState } from '@/lib/protocol/compute';
import { gridInputSize } from '@/lib/protocol/occlusion-grid';
import type { OcclusionApproximation, OcclusionMap, PixelImage } from '@/lib/viz';
import { colourLut } from './colour';
import { ColourBar } from './colour-bar';
import { fitScale, type Point } from './geometry';
import { OcclusionCanvas } from './occlusion-canvas';
import { maxDrop } from './occlusion-geometry';
import { JobProgress } from './progress-bar';
import { ResultSourceBadge } from './result-source-badge';

// Drops under a tenth of the largest leave the photo untouched (a faint wash over everything hid it); above
// that the colour comes in quickly, so the few cells that matter stand out.
const DROP_LUT = colourLut(interpolateYlOrRd, 256, (t) => (t < 0.1 ? 0 : Math.min(0.85, 0.3 + 0.75 * t)));

export interface OcclusionViewProps {
  /** The input image at the model's input size. */
  image: PixelImage | null;
  map: OcclusionMap | null;
  classLabel: string;
  /** Top-left corner of the live patch in model-input pixels (may be negative: the patch can hang over the edge). */
  probe: Point | null;
  /** The class probability with the patch at `probe`; null while it is being computed. */
  probeProb: number | null;
  patch: number;
  /**
   * Absent: read-only. Called while dragging with `settled` false (throttled to ~20 per second), then once
   * with `settled` true where the patch is let go (or moved by a key). Escape or "Remove patch" settles null.
   */
  onProbe?: (probe: Point | null, settled: boolean) => void;
  /** The map's job while it is computed (queued, running, failed). */
  progress?: ComputeJobState | null;
  /** Where the result was computed, e.g. "server (wasm)" or "your browser (webgl)". */
  source?: string;
  /** The map is the coarse grid sent first; the full map follows. */
  preview?: boolean;
  /** Interpolate the heatmap between cell centres; by default each cell is a flat stride×stride square. */
  smooth?: boolean;
  displaySize?: number;
}

/** Without an image, the smallest input the map fits (or a placeholder square). */
function sizeFromMap(map: OcclusionMap | null): { height: number; width: number } {
  if (!map) return { height: 224, width: 224 };
  return gridInputSize(map);
}

/** The label an approximate map carries (lib/viz/occlusion.ts modes). */
function approximationText(a: OcclusionApproximation, cells: number): string {
  if (a.mode === 'adaptive')
    return `Approximate: ${a.computed} of ${cells} positions computed, the rest interpolated`;
  return `Approximate: each change spread over at most ${Math.round((a.spread ?? 1) * 100)}% of a layer`;
}

const prob = (p: number | null | undefined) => (p === null || p === undefined ? '–' : p.toFixed(2));

export function OcclusionView({
  image,
  map,
  classLabel,
  probe,
  probeProb,
  patch,
  onProbe,
  progress,
  source,
  preview = false,
  smooth = false,
  displaySize = 416,
}: OcclusionViewProps) {
  const inputSize = image ? { height: image.height, width: image.width } : sizeFromMap(map);
  const scale = fitScale(inputSize, displaySize);
  const top = map ? maxDrop(map.drop) : 0;
  const running =
    progress &&
    !(progress.state === 'running' && progress.total !== undefined && progress.done >= progress.total);
  const label = `Input image${map ? ' with the probability drop for each patch position' : ''}${
    probe ? `, grey patch at y ${probe.y}, x ${probe.x}` : ''
  }${onProbe ? '. Drag, or use the arrow keys, to move the patch; Escape removes it.' : ''}`;

  return (
    <section
      data-testid="occlusion-view"
      data-base-prob={map?.baseProb}
      data-probe-prob={probeProb ?? undefined}
      aria-label="Occlusion sensitivity"
      className="flex flex-wrap items-start gap-8"
    >
      <div className="flex min-w-0 flex-col gap-3">
        <OcclusionCanvas
          image={image}
          inputSize={inputSize}
          map={map}
          lut={DROP_LUT}
          probe={probe}
          patch={patch}
          scale={scale}
          smooth={smooth}
          label={label}
          onProbe={onProbe}
        />
        {running && progress && (
          <JobProgress job={progress} unit="positions" label="Patch positions computed" />
        )}
      </div>
      <div className="flex min-w-0 max-w-sm flex-col gap-5">
        <div className="flex flex-wrap items-center gap-2">
          {source && <ResultSourceBadge source={source} />}
          {map && (
            <span className="text-sm text-slate-600">
              patch {map.patch} px · stride {map.stride} px · {map.rows}×{map.cols} positions
            </span>
          )}
          {map && preview && (
            <span
              data-testid="occlusion-preview"
              className="rounded bg-sky-100 px-2 py-0.5 text-sm font-medium text-sky-900"
            >
              Coarse preview: every {map.stride} px; the full map follows
            </span>
          )}
          {map?.approximation && (
            <span
              data-testid="occlusion-approximate"
              className="rounded bg-amber-100 px-2 py-0.5 text-sm font-medium text-amber-900"
            >
              {approximationText(map.approximation, map.rows * map.cols)}
            </span>
          )}
        </div>
        <p
          className="text-3xl font-semibold tabular-nums leading-tight"
          aria-live="polite"
          data-testid="occlusion-readout"
        >
          P({classLabel}) = {prob(map?.baseProb)}
          {probe ? (
            <>
              {' '}
              → <span className="text-rose-700">{prob(probeProb)}</span>
              <span className="block text-lg font-normal text-slate-600">with the patch here</span>
            </>
          ) : (
            <span className="block text-lg font-normal text-slate-600">on the clean image</span>
          )}
        </p>
        {map && (
          <p className="text-base text-slate-700">
            Base probability <span className="font-semibold tabular-nums">{map.baseProb.toFixed(3)}</span>.
            Red: covering that spot costs the most. No colour: covering it changes little (or helps).
          </p>
        )}
        {map && (
          <ColourBar
            lut={DROP_LUT}
            min={0}
            max={top}
            format={(v) => v.toFixed(2)}
            label={`Drop in P(${classLabel}) when covered`}
            width={260}
          />
        )}
        {onProbe && probe && (
          <button
            type="button"
            onClick={() => onProbe(null, true)}
            className="self-start rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
          >
            Remove patch
          </button>
        )}
      </div>
    </section>
  );
}
