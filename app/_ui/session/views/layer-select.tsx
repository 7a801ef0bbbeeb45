'use client';

import type { LayerInfo } from '@/lib/models/types';
import { usePresenting } from '../../presenter/presenting';

export function LayerSelect({
  layers,
  value,
  onChange,
}: {
  layers: LayerInfo[];
  value: string | null;
  onChange?: (name: string) => void;
}) {
  const presenting = usePresenting();
  if (presenting) {
    const layer = layers.find((l) => l.name === value);
    return layer ? (
      <p className="text-xl">
        Layer <span className="font-mono font-semibold">{layer.name}</span>{' '}
        <span className="text-slate-700">
          ({layer.kind}, {layer.outputShape.join('×')})
        </span>
      </p>
    ) : null;
  }
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">Layer</span>
      <select
        aria-label="Layer"
        value={value ?? ''}
        disabled={!onChange}
        onChange={(e) => onChange?.(e.target.value)}
        className="rounded border px-2 py-1 font-mono"
      >
        {value === null && <option value="">choose a layer</option>}
        {layers.map((l) => (
          <option key={l.name} value={l.name}>
            {l.name} ({l.kind}, {l.outputShape.join('×')})
          </option>
        ))}
      </select>
    </label>
  );
}
