'use client';

import { useCallback, useMemo, useState } from 'react';
import type { FilterSimilarity } from '@/lib/viz';
import { colourLut, cosineInterpolator, valuesToRgba } from './colour';
import { ColourBar } from './colour-bar';
import { drawLines, drawScaled, pointerOnCanvas, rgbaSource, strokeBox } from './draw';
import { matrixCellAt, permuteMatrix } from './filters-geometry';
import { useHiDpiCanvas } from './use-hidpi-canvas';

const COSINE_LUT = colourLut(cosineInterpolator);

export interface SimilarityMatrixProps {
  similarity: FilterSimilarity;
  order: number[];
  selected?: number;
  onSelect?: (index: number) => void;
  side?: number;
}

/** The n×n cosine matrix as a diverging heatmap, rows and columns in `order`; hover reads a cell. */
export function SimilarityMatrix({
  similarity,
  order,
  selected,
  onSelect,
  side = 320,
}: SimilarityMatrixProps) {
  const n = similarity.count;
  const [hover, setHover] = useState<{ row: number; col: number } | null>(null);
  const permuted = useMemo(() => permuteMatrix(similarity.matrix, n, order), [similarity.matrix, n, order]);
  const rgba = useMemo(() => valuesToRgba(permuted, -1, 1, COSINE_LUT), [permuted]);
  const positionOf = useMemo(() => new Map(order.map((filter, at) => [filter, at])), [order]);

  const draw = useCallback(
    (ctx: CanvasRenderingContext2D) => {
      const cell = side / n;
      drawScaled(ctx, rgbaSource(rgba, n, n), { x: 0, y: 0, width: side, height: side });
      if (cell >= 4) {
        for (const { i, j } of similarity.nearDuplicates) {
          const a = positionOf.get(i) ?? 0;
          const b = positionOf.get(j) ?? 0;
          for (const [r, c] of [
            [a, b],
            [b, a],
          ]) {
            strokeBox(
              ctx,
              { x: c * cell, y: r * cell, width: cell, height: cell },
              { colour: '#111827', lineWidth: 1.5 },
            );
          }
        }
      }
      if (selected !== undefined && positionOf.has(selected)) {
        const at = ((positionOf.get(selected) ?? 0) + 0.5) * cell;
        const area = { x: 0, y: 0, width: side, height: side };
        drawLines(
          ctx,
          [at - cell / 2, at + cell / 2],
          [at - cell / 2, at + cell / 2],
          area,
          'rgba(79, 70, 229, 0.9)',
        );
      }
    },
    [rgba, n, side, similarity.nearDuplicates, positionOf, selected],
  );
  const ref = useHiDpiCanvas(side, side, draw);

  const cellAt = (event: { clientX: number; clientY: number }) =>
    ref.current ? matrixCellAt(pointerOnCanvas(event, ref.current, side, side), n, side) : null;

  const readout = hover
    ? `filter ${order[hover.row]} vs filter ${order[hover.col]}: cos ${permuted[hover.row * n + hover.col].toFixed(2)}`
    : 'Hover a cell to read it.';

  return (
    <figure className="space-y-2">
      <figcaption className="text-sm font-semibold uppercase tracking-wide text-slate-600">
        Cosine similarity between filters
      </figcaption>
      <canvas
        ref={ref}
        data-testid="similarity-matrix"
        data-count={n}
        role="img"
        aria-label={`Cosine similarity of ${n} filters; ${similarity.nearDuplicates.length} near-duplicate pairs outlined`}
        onPointerMove={(event) => setHover(cellAt(event))}
        onPointerLeave={() => setHover(null)}
        onClick={(event) => {
          const cell = cellAt(event);
          if (cell && onSelect) onSelect(order[cell.row]);
        }}
        className={`block h-auto max-w-full rounded ring-1 ring-slate-300 ${onSelect ? 'cursor-pointer' : ''}`}
        style={{ width: side, aspectRatio: '1 / 1' }}
      />
      <p className="h-6 font-mono text-sm tabular-nums text-slate-700" aria-live="polite">
        {readout}
      </p>
      <ColourBar
        lut={COSINE_LUT}
        min={-1}
        max={1}
        ticks={[-1, 0, 1]}
        format={(v) => (v > 0 ? `+${v}` : String(v))}
        label="cosine: opposite · unrelated · alike"
        width={side}
      />
    </figure>
  );
}
