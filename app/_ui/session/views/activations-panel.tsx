'use client';

import { useMemo } from 'react';
import type { ModelInfoResult } from '@/lib/compute/types';
import { activationsRequest, activationsSelection } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';
import type { PixelImage } from '@/lib/viz';
import { layerReceptiveFields } from '@/lib/viz';
import { useComputed } from '../../compute/use-computed';
import { ResultSourceBadge } from '../../viz';
import { FeatureMapsView } from '../../viz/feature-maps-view';
import type { Dispatch } from '../dispatch';
import { LayerSelect } from './layer-select';
import { originText } from './origin-text';

/** The feature maps of the chosen layer for the current image. */
export function ActivationsPanel({
  state,
  info,
  image,
  dispatch,
}: {
  state: SessionState;
  info: ModelInfoResult;
  image: PixelImage | null;
  dispatch?: Dispatch;
}) {
  const { spatial, layer } = activationsSelection(state, info);
  const fields = useMemo(() => layerReceptiveFields(info.layers), [info.layers]);
  const maps = useComputed(activationsRequest(state, info));

  if (!layer) return <p className="text-slate-600">This model has no layers with feature maps.</p>;
  if (!state.imageId) return <p className="text-lg text-slate-700">Pick an image to see its feature maps.</p>;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center gap-3">
        <LayerSelect
          layers={spatial}
          value={layer.name}
          onChange={dispatch && ((name) => dispatch({ type: 'layer.set', layer: name }))}
        />
        {maps?.origin && <ResultSourceBadge source={originText(maps.origin)} />}
      </div>
      {maps?.status === 'error' && (
        <p role="alert" className="text-sm text-red-700">
          {maps.error}
        </p>
      )}
      {!maps?.result && maps?.status !== 'error' && (
        <p className="text-slate-700">Computing the feature maps of {layer.name}…</p>
      )}
      {maps?.result && (
        <FeatureMapsView
          maps={maps.result}
          layer={layer}
          field={fields.get(layer.name) ?? null}
          image={image}
          inputSize={info.manifest.inputSize}
          neuron={state.neuron}
          onPickNeuron={dispatch && ((neuron) => dispatch({ type: 'neuron.set', neuron }))}
        />
      )}
    </div>
  );
}
