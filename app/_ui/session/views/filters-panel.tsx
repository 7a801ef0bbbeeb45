'use client';

import type { ModelInfoResult } from '@/lib/compute/types';
import { filtersSelection } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';
import { useComputed } from '../../compute/use-computed';
import { FiltersView, ResultSourceBadge } from '../../viz';
import type { Dispatch } from '../dispatch';
import { LayerSelect } from './layer-select';
import { originText } from './origin-text';

export function FiltersPanel({
  state,
  info,
  dispatch,
}: {
  state: SessionState;
  info: ModelInfoResult;
  dispatch?: Dispatch;
}) {
  const { convLayers, layer } = filtersSelection(state, info);
  const filters = useComputed(layer ? { kind: 'filters', modelId: state.modelId, layer } : null);
  const display = state.filters;
  const setDisplay = (patch: Partial<typeof display>) =>
    dispatch?.({ type: 'filters.set', display: { ...display, ...patch } });

  if (!layer) return <p className="text-slate-600">This model has no convolution layers.</p>;
  const result = filters?.result;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <LayerSelect
          layers={convLayers}
          value={layer}
          onChange={dispatch && ((name) => dispatch({ type: 'layer.set', layer: name }))}
        />
        {result && (
          <span className="text-sm text-slate-600">
            {result.count} filters of {result.kernel[0]}×{result.kernel[1]}×{result.inChannels}
          </span>
        )}
        {filters?.origin && <ResultSourceBadge source={originText(filters.origin)} />}
      </div>
      {filters?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {filters.error}
        </p>
      )}
      {!result && filters?.status === 'loading' && <p className="text-slate-600">Reading the filters…</p>}
      {result && (
        <FiltersView
          layer={layer}
          tiles={display.normalization === 'shared' ? result.sharedTiles : result.tiles}
          similarity={result.similarity}
          preferred={result.preferred.length > 0 ? result.preferred : undefined}
          normalization={display.normalization}
          onNormalization={dispatch && ((normalization) => setDisplay({ normalization }))}
          ordered={display.ordered}
          onOrdered={dispatch && ((ordered) => setDisplay({ ordered }))}
          selected={display.selected ?? undefined}
          onSelectFilter={dispatch && ((selected) => setDisplay({ selected }))}
        />
      )}
    </div>
  );
}
