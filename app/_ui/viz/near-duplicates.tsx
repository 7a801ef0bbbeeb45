'use client';

import type { FilterSimilarity, RgbaTile } from '@/lib/viz';
import { TileCanvas } from './tile-canvas';

const SHOWN = 12;

/** The near-duplicate pairs, most alike first, with both tiles and the reason they matter. */
export function NearDuplicates({
  similarity,
  tiles,
  onSelect,
}: {
  similarity: FilterSimilarity;
  tiles: RgbaTile[];
  onSelect?: (index: number) => void;
}) {
  const pairs = similarity.nearDuplicates;
  const threshold = similarity.threshold.toFixed(2);
  return (
    <section
      aria-labelledby="near-duplicates-heading"
      className="max-w-md space-y-2"
      data-testid="near-duplicates"
    >
      <h3 id="near-duplicates-heading" className="text-lg font-semibold text-slate-800">
        {pairs.length === 0
          ? `No near-duplicate filters (|cos| ≥ ${threshold})`
          : `${pairs.length} near-duplicate pair${pairs.length === 1 ? '' : 's'} (|cos| ≥ ${threshold})`}
      </h3>
      <p className="text-slate-600">
        Redundant filters are a warning sign: two filters with (almost) the same weights, or exactly opposite
        ones, detect the same pattern, so the layer spends its capacity twice.
      </p>
      {pairs.length > 0 && (
        <ul className="space-y-1.5">
          {pairs.slice(0, SHOWN).map(({ i, j, cosine }) => (
            <li
              key={`${i}-${j}`}
              data-pair={`${i}-${j}`}
              className="flex items-center gap-3 rounded-md bg-amber-50 px-2 py-1"
            >
              <PairTile index={i} tile={tiles[i]} onSelect={onSelect} />
              <PairTile index={j} tile={tiles[j]} onSelect={onSelect} />
              <span className="font-mono text-base tabular-nums text-slate-800">cos {cosine.toFixed(3)}</span>
              {cosine < 0 && <span className="text-sm text-slate-600">(opposite)</span>}
            </li>
          ))}
          {pairs.length > SHOWN && (
            <li className="text-sm text-slate-500">…and {pairs.length - SHOWN} more</li>
          )}
        </ul>
      )}
    </section>
  );
}

function PairTile({
  index,
  tile,
  onSelect,
}: {
  index: number;
  tile?: RgbaTile;
  onSelect?: (index: number) => void;
}) {
  const content = (
    <span className="flex items-center gap-1.5">
      {tile && <TileCanvas tile={tile} size={28} label={`Filter ${index}`} />}
      <span className="tabular-nums">#{index}</span>
    </span>
  );
  return onSelect ? (
    <button
      type="button"
      onClick={() => onSelect(index)}
      className="rounded px-1 hover:bg-amber-100 focus-visible:outline-2 focus-visible:outline-indigo-600"
    >
      {content}
    </button>
  ) : (
    content
  );
}
