import type { ExerciseState } from '../exercises/state';
import type { FilterDisplay, OcclusionParams, View } from '../protocol/actions';
import type { ComputeBackendName, Neuron, Role } from '../protocol/primitives';

export interface ParticipantState {
  id: string;
  name: string;
  role: Role;
  online: boolean;
  backend: ComputeBackendName;
  joinedSeq: number;
}

/** Everything a screen shows is a function of this; it changes only by folding logged events. */
export interface SessionState {
  seq: number;
  title: string;
  modelId: string;
  participants: Record<string, ParticipantState>;
  view: View;
  imageId: string | null;
  layer: string | null;
  neuron: Neuron | null;
  pinned: Neuron[];
  channels: number[];
  occlusion: OcclusionParams;
  filters: FilterDisplay;
  /** The instructor's live patch position (top-left, model-input pixels); null when not dragging. */
  probe: { y: number; x: number } | null;
  mode: 'follow' | 'free';
  compute: 'server' | 'browser';
  /** Prediction exercises, oldest first (lib/session/exercise-reducer.ts). */
  exercises: ExerciseState[];
}

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
    probe: null,
    mode: 'follow',
    compute: 'server',
    exercises: [],
  };
}
