'use client';

import type { RgbaTile } from '@/lib/viz';
import { TileCanvas } from './tile-canvas';
import { Zoomable } from './zoomable';

export interface FilterGridProps {
  title: string;
  tiles: RgbaTile[];
  /** Display order: a permutation of the tile indices. */
  order: number[];
  tileSize: number;
  selected?: number;
  /** Filters in a near-duplicate pair, outlined in amber. */
  flagged: ReadonlySet<number>;
  onSelect?: (index: number) => void;
  testId: string;
}

/** Tiles in `order`, each labelled with its filter index; buttons when selectable. */
export function FilterGrid({
  title,
  tiles,
  order,
  tileSize,
  selected,
  flagged,
  onSelect,
  testId,
}: FilterGridProps) {
  return (
    <figure className="min-w-0 space-y-2">
      <figcaption className="text-sm font-semibold uppercase tracking-wide text-slate-600">
        {title}
      </figcaption>
      <ol
        data-testid={testId}
        className="grid gap-1.5"
        style={{ gridTemplateColumns: `repeat(auto-fill, minmax(${tileSize + 8}px, 1fr))` }}
      >
        {order.map((index) => {
          const tile = tiles[index];
          if (!tile) return null;
          const isSelected = index === selected;
          const ring = isSelected
            ? 'ring-4 ring-indigo-500'
            : flagged.has(index)
              ? 'ring-2 ring-amber-500'
              : 'ring-1 ring-slate-300';
          const body = (
            <>
              <span className={`block rounded-sm ${ring}`}>
                <TileCanvas tile={tile} size={tileSize} label={`${title}: filter ${index}`} />
              </span>
              <span className="block text-center text-sm leading-5 tabular-nums text-slate-700">{index}</span>
            </>
          );
          return (
            <li key={index} data-filter={index} className="flex justify-center">
              {onSelect ? (
                <button
                  type="button"
                  aria-pressed={isSelected}
                  aria-label={`Filter ${index}${flagged.has(index) ? ', near-duplicate' : ''}`}
                  onClick={() => onSelect(index)}
                  className="rounded p-0.5 hover:bg-indigo-50 focus-visible:outline-2 focus-visible:outline-indigo-600"
                >
                  {body}
                </button>
              ) : (
                <Zoomable
                  label={`${title}: filter ${index}`}
                  large={() => <TileCanvas tile={tile} size={384} label={`${title}: filter ${index}`} />}
                >
                  <span className="block p-0.5">{body}</span>
                </Zoomable>
              )}
            </li>
          );
        })}
      </ol>
    </figure>
  );
}
