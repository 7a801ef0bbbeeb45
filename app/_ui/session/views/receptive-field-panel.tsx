'use client';

import { useMemo } from 'react';
import type { ModelInfoResult } from '@/lib/compute/types';
import type { SessionState } from '@/lib/session/state';
import type { PixelImage } from '@/lib/viz';
import { layerReceptiveFields } from '@/lib/viz';
import { ReceptiveFieldView } from '../../viz';
import type { Dispatch } from '../dispatch';
import { PinnedNeurons } from './pinned-neurons';

export function ReceptiveFieldPanel({
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
  const fields = useMemo(() => layerReceptiveFields(info.layers), [info.layers]);
  return (
    <div className="space-y-4">
      <PinnedNeurons
        pinned={state.pinned}
        current={state.neuron}
        dispatch={dispatch}
        image={image}
        inputSize={info.manifest.inputSize}
        layers={info.layers}
        fields={fields}
      />
      <ReceptiveFieldView
        image={image}
        layers={info.layers}
        fields={fields}
        layer={state.layer}
        neuron={state.neuron}
        onPickLayer={dispatch && ((layer) => dispatch({ type: 'layer.set', layer }))}
        onPickNeuron={dispatch && ((neuron) => dispatch({ type: 'neuron.set', neuron }))}
      />
    </div>
  );
}
