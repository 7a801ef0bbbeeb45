'use client';

import { useState } from 'react';
import type { ModelInfoResult } from '@/lib/compute/types';
import { topActivatingRequest, topActivatingSelection } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';
import { useAtlasProgress } from '../../compute/use-atlas-progress';
import { useComputed } from '../../compute/use-computed';
import { ResultSourceBadge, TopActivatingView } from '../../viz';
import { jobStatusText } from '../../viz/progress-bar';
import { type CatalogImageSet, cropUrl, imageSetsFor } from '../catalog';
import type { Dispatch } from '../dispatch';
import { LayerSelect } from './layer-select';
import { originText } from './origin-text';

export function TopActivatingPanel({
  state,
  info,
  sets,
  dispatch,
}: {
  state: SessionState;
  info: ModelInfoResult;
  sets: CatalogImageSet[];
  dispatch?: Dispatch;
}) {
  const { spatial, layer, channels } = topActivatingSelection(state, info);
  const channelCount = layer?.outputShape[2] ?? 0;
  const [imageSetId] = imageSetsFor(state.modelId, sets).many;
  const top = useComputed(topActivatingRequest(state, info, imageSetId));
  const atlas = useAtlasProgress(state.modelId, imageSetId);
  const labels = new Map(
    sets.flatMap((s) => s.images.map((img) => [img.id, img.label ?? img.file] as const)),
  );

  if (!layer) return <p className="text-slate-600">This model has no spatial layers.</p>;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <LayerSelect
          layers={spatial}
          value={layer.name}
          onChange={dispatch && ((name) => dispatch({ type: 'layer.set', layer: name }))}
        />
        <ChannelInput
          channels={channels}
          max={channelCount}
          onChange={dispatch && ((c) => dispatch({ type: 'channels.set', channels: c }))}
        />
        <span className="text-sm text-slate-600">
          over {sets.find((s) => s.id === imageSetId)?.name ?? 'no image set'}
        </span>
        {top?.origin && <ResultSourceBadge source={originText(top.origin)} />}
      </div>
      {atlas && (
        <p data-testid="atlas-progress" role="status" className="text-sm text-slate-600">
          Atlas of every layer (then any layer answers at once): {jobStatusText(atlas, 'images')}
        </p>
      )}
      {top?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {top.error}
        </p>
      )}
      <TopActivatingView
        result={top?.result ?? null}
        progress={top?.status === 'loading' ? (top.job ?? { state: 'queued', ahead: 0 }) : null}
        imageUrl={(id) => cropUrl(state.modelId, id)}
        inputSize={info.manifest.inputSize}
        channels={channels}
        labelOf={(id) => labels.get(id) ?? id}
      />
    </div>
  );
}

function ChannelInput({
  channels,
  max,
  onChange,
}: {
  channels: number[];
  max: number;
  onChange?: (c: number[]) => void;
}) {
  const [text, setText] = useState<string | null>(null);
  const shown = text ?? channels.join(', ');
  if (!onChange) return <span className="text-sm text-slate-600">channels {shown}</span>;
  const commit = () => {
    const parsed = [
      ...new Set(
        shown
          .split(/[\s,]+/)
          .filter(Boolean)
          .map(Number),
      ),
    ].filter((c) => Number.isInteger(c) && c >= 0 && c < max);
    setText(null);
    if (parsed.length > 0) onChange(parsed.slice(0, 64));
  };
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="text-slate-600">Channels (0–{max - 1})</span>
      <input
        aria-label="Channels"
        value={shown}
        onChange={(e) => setText(e.target.value)}
        onBlur={commit}
        onKeyDown={(e) => e.key === 'Enter' && commit()}
        className="w-40 rounded border px-2 py-1 font-mono"
      />
    </label>
  );
}
