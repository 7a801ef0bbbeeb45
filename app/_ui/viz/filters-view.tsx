'use client';

import { useMemo, useState } from 'react';
import type { FilterSimilarity, RgbaTile, TileNormalization } from '@/lib/viz';
import { FilterControls } from './filter-controls';
import { FilterGrid } from './filter-grid';
import { duplicatePartners, identityOrder } from './filters-geometry';
import { NearDuplicates } from './near-duplicates';
import { SimilarityMatrix } from './similarity-matrix';
import { TileSizeSlider } from './tile-size-slider';

export interface FiltersViewProps {
  layer: string;
  /** One tile per filter. */
  tiles: RgbaTile[];
  similarity: FilterSimilarity | null;
  /** The unit-norm input that fires each first-layer filter most, one per filter. */
  preferred?: RgbaTile[];
  normalization: TileNormalization;
  onNormalization?: (normalization: TileNormalization) => void;
  /** Show filters in the similarity order (alike next to each other) instead of their index order. */
  ordered: boolean;
  onOrdered?: (ordered: boolean) => void;
  selected?: number;
  onSelectFilter?: (index: number) => void;
}

/** About `target` screen px per tile, in whole multiples of the kernel size so pixels stay square. */
function tileSizeFor(tiles: RgbaTile[], target: number): number {
  const side = Math.max(1, ...tiles.map((t) => Math.max(t.height, t.width)));
  return Math.max(side, Math.round(target / side) * side);
}

const ONE_BY_ONE_NOTE =
  'These kernels are 1×1: each looks at one position and mixes the channels there, so it has no spatial ' +
  'picture (every tile is one flat colour). Read them as recipes of input channels, or look at what the ' +
  "channels respond to in 'Neurons that fire'.";

export function FiltersView({
  layer,
  tiles,
  similarity,
  preferred,
  normalization,
  onNormalization,
  ordered,
  onOrdered,
  selected,
  onSelectFilter,
}: FiltersViewProps) {
  const order = useMemo(
    () =>
      ordered && similarity?.order.length === tiles.length ? similarity.order : identityOrder(tiles.length),
    [ordered, similarity, tiles.length],
  );
  const flagged = useMemo(
    () => new Set(duplicatePartners(similarity?.nearDuplicates ?? []).keys()),
    [similarity],
  );
  const oneByOne = tiles.length > 0 && tiles.every((t) => t.height === 1 && t.width === 1);
  // Flat 1×1 tiles say nothing more when large: they start small, so a thousand of them fit on a screen.
  const [chosen, setTarget] = useState<number | null>(null);
  const target = chosen ?? (oneByOne ? 24 : 72);
  const tileSize = tileSizeFor(tiles, target);
  const kernel = tiles[0] ? `${tiles[0].height}×${tiles[0].width}` : '';

  return (
    <section
      data-testid="filters-view"
      data-layer={layer}
      aria-label={`Filters of ${layer}`}
      className="space-y-5"
    >
      <header className="flex flex-wrap items-center justify-between gap-4">
        <p className="text-lg text-slate-700">
          <span className="font-mono font-semibold">{layer}</span>: {tiles.length} filters{' '}
          {kernel && `of ${kernel} px`}
        </p>
        <FilterControls
          normalization={normalization}
          onNormalization={onNormalization}
          ordered={ordered}
          onOrdered={similarity ? onOrdered : undefined}
        />
        <TileSizeSlider value={target} onChange={setTarget} min={16} max={192} />
      </header>
      {oneByOne && (
        <p
          data-testid="one-by-one-note"
          className="rounded-md bg-amber-50 px-3 py-2 text-base text-amber-950"
        >
          {ONE_BY_ONE_NOTE}
        </p>
      )}
      <div className={`grid items-start gap-8 ${preferred ? 'xl:grid-cols-2' : ''}`}>
        <FilterGrid
          title="Filters"
          testId="filter-grid"
          tiles={tiles}
          order={order}
          tileSize={tileSize}
          selected={selected}
          flagged={flagged}
          onSelect={onSelectFilter}
        />
        {preferred && preferred.length === tiles.length && (
          <FilterGrid
            title="Preferred input (unit norm)"
            testId="preferred-grid"
            tiles={preferred}
            order={order}
            tileSize={tileSize}
            selected={selected}
            flagged={flagged}
            onSelect={onSelectFilter}
          />
        )}
      </div>
      {similarity ? (
        <div className="flex min-w-0 flex-wrap items-start gap-8">
          <SimilarityMatrix
            similarity={similarity}
            order={order}
            selected={selected}
            onSelect={onSelectFilter}
          />
          <NearDuplicates similarity={similarity} tiles={tiles} onSelect={onSelectFilter} />
        </div>
      ) : (
        <p className="text-slate-500">Similarity not computed yet.</p>
      )}
    </section>
  );
}
