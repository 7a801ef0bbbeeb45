'use client';

import type { SessionState } from '@/lib/session/state';
import { useComputed } from '../compute/use-computed';
import { usePixels } from '../compute/use-pixels';
import { Explanation } from '../viz/explanation';
import type { Catalog } from './catalog';
import type { Dispatch } from './dispatch';
import { NetworkStrip } from './network-strip';
import { PredictionLine } from './prediction-line';
import { shownLayer } from './shown-layer';
import { ActivationsPanel } from './views/activations-panel';
import { FeatureVisPanel } from './views/feature-vis-panel';
import { FiltersPanel } from './views/filters-panel';
import { OcclusionPanel } from './views/occlusion-panel';
import { ReceptiveFieldPanel } from './views/receptive-field-panel';
import { TopActivatingPanel } from './views/top-activating-panel';

/** The current view, with the model's layer graph and the image every view works on. */
export function ViewArea({
  state,
  catalog,
  dispatch,
  onDrag,
}: {
  state: SessionState;
  catalog: Catalog | null;
  dispatch?: Dispatch;
  /** The instructor's patch while dragged (ephemeral). */
  onDrag?: (probe: { y: number; x: number } | null) => void;
}) {
  const info = useComputed({ kind: 'model-info', modelId: state.modelId });
  const image = usePixels(state.modelId, state.imageId);

  if (!info || info.status === 'loading') {
    return <Frame state={state}>Loading {state.modelId}…</Frame>;
  }
  if (info.status === 'error' || !info.result) {
    return (
      <Frame state={state}>
        <span role="alert" className="text-red-700">
          Could not load model {state.modelId}: {info.error}
        </span>
      </Frame>
    );
  }
  const model = info.result;
  return (
    <Frame state={state}>
      <div className="mb-4 flex flex-wrap items-baseline gap-x-4 text-sm text-slate-600">
        <span>
          <span className="font-medium text-slate-900">{model.manifest.name}</span> ·{' '}
          {model.manifest.inputSize.height}×{model.manifest.inputSize.width} input
        </span>
        {state.imageId && <PredictionLine modelId={state.modelId} imageId={state.imageId} />}
      </div>
      <NetworkStrip
        info={model}
        modelId={state.modelId}
        imageId={state.imageId}
        selected={shownLayer(state, model)?.name ?? state.layer}
        dispatch={dispatch}
      />
      {state.display.explain && (
        <div className="mb-4">
          <Explanation view={state.view} layer={shownLayer(state, model)} />
        </div>
      )}
      {state.view === 'receptive-field' && (
        <ReceptiveFieldPanel state={state} info={model} image={image} dispatch={dispatch} />
      )}
      {state.view === 'activations' && (
        <ActivationsPanel state={state} info={model} image={image} dispatch={dispatch} />
      )}
      {state.view === 'top-activating' && (
        <TopActivatingPanel state={state} info={model} sets={catalog?.sets ?? []} dispatch={dispatch} />
      )}
      {state.view === 'filters' && <FiltersPanel state={state} info={model} dispatch={dispatch} />}
      {state.view === 'feature-vis' && (
        <FeatureVisPanel state={state} info={model} sets={catalog?.sets ?? []} dispatch={dispatch} />
      )}
      {state.view === 'occlusion' && (
        <OcclusionPanel state={state} info={model} image={image} dispatch={dispatch} onDrag={onDrag} />
      )}
    </Frame>
  );
}

function Frame({ state, children }: { state: SessionState; children: React.ReactNode }) {
  return (
    <div data-testid="current-view" data-view={state.view} className="rounded-xl border bg-white p-4 sm:p-6">
      {children}
    </div>
  );
}
