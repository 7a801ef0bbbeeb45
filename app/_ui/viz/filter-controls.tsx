'use client';

import type { TileNormalization } from '@/lib/viz';

const NORMALIZATIONS: { value: TileNormalization; label: string; hint: string }[] = [
  {
    value: 'per-filter',
    label: 'Per filter',
    hint: "Each tile stretched to its own range: shows every filter's pattern",
  },
  { value: 'shared', label: 'Shared', hint: 'One range for the layer: shows which filters are strong' },
];

/** Contrast (per filter or shared) and ordering toggles; shown disabled when read-only. */
export function FilterControls({
  normalization,
  onNormalization,
  ordered,
  onOrdered,
}: {
  normalization: TileNormalization;
  onNormalization?: (normalization: TileNormalization) => void;
  ordered: boolean;
  onOrdered?: (ordered: boolean) => void;
}) {
  return (
    <div className="flex flex-wrap items-center gap-4">
      <div role="radiogroup" aria-label="Tile contrast" className="flex rounded-lg bg-slate-200 p-1">
        {NORMALIZATIONS.map(({ value, label, hint }) => (
          // biome-ignore lint/a11y/useSemanticElements: a segmented control reads better than two radio inputs
          <button
            key={value}
            type="button"
            role="radio"
            aria-checked={normalization === value}
            title={hint}
            disabled={!onNormalization}
            onClick={() => onNormalization?.(value)}
            className={`rounded-md px-3 py-1.5 text-sm font-medium focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              normalization === value ? 'bg-white shadow-sm' : 'text-slate-600'
            } ${onNormalization ? 'hover:bg-white/70' : 'cursor-default'}`}
          >
            {label}
          </button>
        ))}
      </div>
      <label className={`flex items-center gap-2 text-sm font-medium ${onOrdered ? '' : 'text-slate-500'}`}>
        <input
          type="checkbox"
          checked={ordered}
          disabled={!onOrdered}
          onChange={(event) => onOrdered?.(event.target.checked)}
          className="h-4 w-4 accent-indigo-600"
        />
        Group similar filters
      </label>
    </div>
  );
}
