import type { OcclusionParams } from '../protocol/actions';
import type { SessionState } from '../protocol/state';

export type { ParticipantState, SessionState } from '../protocol/state';

export const DEFAULT_OCCLUSION: OcclusionParams = { patch: 8, stride: 4, fill: 'grey', classIndex: null };

export function initialState(): SessionState {
  return {
    seq: 0,
    title: '',
    modelId: '',
    participants: {},
    view: 'receptive-field',
    imageId: null,
    layer: null,
    neuron: null,
    pinned: [],
    channels: [],
    occlusion: DEFAULT_OCCLUSION,
    filters: { normalization: 'per-filter', ordered: false, selected: null },
    featureVis: null,
    probe: null,
    mode: 'follow',
    display: { joinCode: true, explain: true },
    compute: 'server',
    exercises: [],
  };
}

/** A participant by id; ids come from clients too, so only own properties count ("constructor" is no one). */
export function participantOf(
  state: SessionState,
  id: string,
): SessionState['participants'][string] | undefined {
  return Object.hasOwn(state.participants, id) ? state.participants[id] : undefined;
}
