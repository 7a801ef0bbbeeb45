import type { LoggedEvent } from '../protocol/events';
import type { Neuron } from '../protocol/primitives';
import { reduceExercise } from './exercise-reducer';
import { initialState, participantOf, type SessionState } from './state';

/**
 * The one rule for how a session changes. The server folds it to stay
 * authoritative, every client folds it to follow, and a replay folds the
 * stored log: the same function, so all three agree exactly.
 * Pure: returns a new state, never mutates its input.
 */
export function reduce(state: SessionState, event: LoggedEvent): SessionState {
  if (event.seq !== state.seq + 1) {
    throw new Error(`event seq ${event.seq} does not follow state seq ${state.seq}`);
  }
  return { ...apply(state, event), seq: event.seq };
}

export function fold(events: Iterable<LoggedEvent>, from: SessionState = initialState()): SessionState {
  let state = from;
  for (const event of events) state = reduce(state, event);
  return state;
}

function apply(state: SessionState, { body, seq, at, actor }: LoggedEvent): SessionState {
  switch (body.type) {
    case 'session.created':
      return { ...state, title: body.title, modelId: body.modelId };
    case 'participant.joined': {
      const existing = participantOf(state, body.participantId);
      return withParticipant(state, body.participantId, {
        id: body.participantId,
        name: body.name,
        role: body.role,
        joinedSeq: existing?.joinedSeq ?? seq,
      });
    }
    // Presence in logs of version 1: ephemeral since version 2, so a replay has nothing to show of it.
    case 'participant.connection':
    case 'presence.set':
      return state;
    case 'view.set':
      return { ...state, view: body.view, probe: null };
    case 'model.set':
      return {
        ...state,
        modelId: body.modelId,
        layer: null,
        neuron: null,
        pinned: [],
        channels: [],
        probe: null,
        imageId: null,
        occlusion: { ...state.occlusion, classIndex: null },
        filters: { ...state.filters, selected: null },
        featureVis: null,
      };
    case 'image.set':
      return { ...state, imageId: body.imageId, probe: null };
    case 'layer.set':
      return {
        ...state,
        layer: body.layer,
        neuron: state.neuron?.layer === body.layer ? state.neuron : null,
      };
    case 'neuron.set':
      return { ...state, neuron: body.neuron, layer: body.neuron?.layer ?? state.layer };
    case 'neuron.pin':
      return state.pinned.some((n) => sameNeuron(n, body.neuron))
        ? state
        : { ...state, pinned: [...state.pinned, body.neuron] };
    case 'neuron.unpin':
      return { ...state, pinned: state.pinned.filter((n) => !sameNeuron(n, body.neuron)) };
    case 'channels.set':
      return { ...state, channels: [...new Set(body.channels)] };
    case 'occlusion.set':
      return { ...state, occlusion: body.params };
    case 'filters.set':
      return { ...state, filters: body.display };
    case 'featureVis.set':
      return { ...state, featureVis: body.params };
    case 'probe.set':
      return { ...state, probe: body.probe };
    case 'mode.set':
      return { ...state, mode: body.mode };
    case 'display.set':
      return { ...state, display: body.display };
    case 'compute.set':
      return { ...state, compute: body.where };
    case 'exercise.start':
    case 'exercise.answer':
    case 'exercise.answered':
    case 'exercise.reveal':
    case 'exercise.revealed':
    case 'exercise.leaderboard':
    case 'exercise.dismiss':
      return reduceExercise(state, body, { seq, at, actor });
    default:
      return assertNever(body);
  }
}

function withParticipant(
  state: SessionState,
  id: string,
  participant: SessionState['participants'][string],
): SessionState {
  return { ...state, participants: { ...state.participants, [id]: participant } };
}

export function sameNeuron(a: Neuron, b: Neuron): boolean {
  return a.layer === b.layer && a.channel === b.channel && a.y === b.y && a.x === b.x;
}

function assertNever(value: never): never {
  throw new Error(`unhandled event ${JSON.stringify(value)}`);
}
