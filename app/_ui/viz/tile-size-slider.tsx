'use client';

import { useId } from 'react';
import { usePresenting } from '../presenter/presenting';

/** How large tiles and thumbnails are drawn on this screen (a local choice, not the session's). */
export function TileSizeSlider({
  value,
  onChange,
  min = 48,
  max = 256,
  label = 'Tile size',
}: {
  value: number;
  onChange: (size: number) => void;
  min?: number;
  max?: number;
  label?: string;
}) {
  const id = useId();
  if (usePresenting()) return null;
  return (
    <div className="flex items-center gap-2 text-sm">
      <label htmlFor={id} className="text-slate-700">
        {label}
      </label>
      <input
        id={id}
        type="range"
        min={min}
        max={max}
        step={8}
        value={value}
        onChange={(e) => onChange(Number(e.target.value))}
        className="w-32 accent-indigo-600"
      />
      <span className="w-14 tabular-nums text-slate-700">{value} px</span>
    </div>
  );
}
