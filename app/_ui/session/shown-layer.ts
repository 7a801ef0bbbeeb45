import type { LayerInfo } from '@/lib/protocol/model';
import type { ModelInfoResult } from '@/lib/protocol/results';
import { activationsSelection, filtersSelection, topActivatingSelection } from '@/lib/session/shared-view';
import type { SessionState } from '@/lib/session/state';

/** The layer the current view is about (for its explanation and the network strip), if any. */
export function shownLayer(state: SessionState, info: ModelInfoResult): LayerInfo | null {
  const byName = (name: string | null | undefined) => info.layers.find((l) => l.name === name) ?? null;
  switch (state.view) {
    case 'receptive-field':
      return byName(state.layer);
    case 'activations':
      return activationsSelection(state, info).layer ?? null;
    case 'top-activating':
      return topActivatingSelection(state, info).layer ?? null;
    case 'filters':
      return byName(filtersSelection(state, info).layer);
    case 'feature-vis': {
      const objective = state.featureVis?.objective;
      return objective && objective.kind !== 'class' ? byName(objective.layer) : null;
    }
    case 'occlusion':
      return null;
  }
}
