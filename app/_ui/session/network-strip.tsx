'use client';

import { useMemo, useState } from 'react';
import type { LayerInfo, LayerReceptiveField } from '@/lib/protocol/model';
import type { ModelInfoResult } from '@/lib/protocol/results';
import { layerReceptiveFields } from '@/lib/viz';
import { useComputed } from '../compute/use-computed';
import { usePresenting } from '../presenter/presenting';
import { meanTile } from '../viz/feature-map-tiles';
import { TileCanvas } from '../viz/tile-canvas';
import type { Dispatch } from './dispatch';

/** Kinds that change nothing a student would look at on their own (activations, normalisation, padding). */
const QUIET_KINDS = new Set(['pointwise', 'zero-padding', 'cropping', 'reshape', 'other']);
const THUMB = 40;

/**
 * The model at a glance: its main layers in order with output shape and receptive field, and (when asked) a
 * thumbnail of each layer's response to the current image. Clicking a layer picks it for every view.
 */
export function NetworkStrip({
  info,
  modelId,
  imageId,
  selected,
  dispatch,
}: {
  info: ModelInfoResult;
  modelId: string;
  imageId: string | null;
  selected: string | null;
  dispatch?: Dispatch;
}) {
  const [thumbnails, setThumbnails] = useState(false);
  const presenting = usePresenting();
  const fields = useMemo(() => layerReceptiveFields(info.layers), [info.layers]);
  const layers = info.layers.filter((l) => !QUIET_KINDS.has(l.kind) || l.name === selected);
  const current = info.layers.find((l) => l.name === selected);
  const currentField = current && fields.get(current.name);
  return (
    <details data-testid="network-strip" className="mb-4 rounded-lg border border-slate-200 bg-slate-50">
      <summary className="cursor-pointer px-3 py-2 text-slate-800">
        <span className="font-semibold">Network: {layers.length} main layers</span>
        {current && (
          <span className="text-slate-700">
            {' '}
            · <span className="font-mono">{current.name}</span> {current.outputShape.join('×')}
            {currentField && currentField.size[0] > 0 ? `, RF ${currentField.size[0]} px` : ''}
          </span>
        )}
        {dispatch && <span className="text-slate-700"> · open to pick a layer for every view</span>}
      </summary>
      <div className="space-y-2 px-3 pb-3">
        {imageId && !presenting && (
          <label className="flex items-center gap-2 text-sm text-slate-700">
            <input type="checkbox" checked={thumbnails} onChange={(e) => setThumbnails(e.target.checked)} />
            Response thumbnails for this image (computes each one)
          </label>
        )}
        <ol className="flex flex-wrap gap-1.5">
          {layers.map((layer) => (
            <LayerChip
              key={layer.name}
              layer={layer}
              field={fields.get(layer.name)}
              selected={layer.name === selected}
              thumbnail={thumbnails && imageId ? { modelId, imageId } : null}
              onPick={dispatch && (() => dispatch({ type: 'layer.set', layer: layer.name }))}
            />
          ))}
        </ol>
      </div>
    </details>
  );
}

function LayerChip({
  layer,
  field,
  selected,
  thumbnail,
  onPick,
}: {
  layer: LayerInfo;
  field: LayerReceptiveField | undefined;
  selected: boolean;
  thumbnail: { modelId: string; imageId: string } | null;
  onPick?: () => void;
}) {
  const spatial = layer.outputShape.length === 3 && layer.kind !== 'input';
  const maps = useComputed(
    thumbnail && spatial ? { kind: 'activations', ...thumbnail, layer: layer.name } : null,
  );
  const tile = useMemo(() => (maps?.result ? meanTile(maps.result) : null), [maps?.result]);
  const body = (
    <>
      {thumbnail && spatial && (
        <span className="block shrink-0 bg-slate-200" style={{ width: THUMB, height: THUMB }}>
          {tile && <TileCanvas tile={tile} size={THUMB} label={`Mean response of ${layer.name}`} />}
        </span>
      )}
      <span className="min-w-0 text-left leading-tight">
        <span className="block max-w-[11rem] truncate font-mono text-sm font-medium">{layer.name}</span>
        <span className="block text-xs text-slate-700 tabular-nums">
          {layer.outputShape.join('×')}
          {field && field.size[0] > 0 ? ` · RF ${field.size[0]}` : ''}
        </span>
      </span>
    </>
  );
  const look = `flex items-center gap-1.5 rounded-md border px-2 py-1 ${
    selected ? 'border-indigo-500 bg-indigo-50 ring-2 ring-indigo-300' : 'border-slate-300 bg-white'
  }`;
  return (
    <li data-layer={layer.name} className="min-w-0">
      {onPick ? (
        <button
          type="button"
          aria-current={selected || undefined}
          title={`${layer.name} (${layer.kind})`}
          onClick={onPick}
          className={`${look} hover:border-indigo-400`}
        >
          {body}
        </button>
      ) : (
        <div className={look} title={`${layer.name} (${layer.kind})`}>
          {body}
        </div>
      )}
    </li>
  );
}
