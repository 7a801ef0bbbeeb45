import { describe, expect, it } from 'vitest';
import { FEATURE_VIS_DEFAULTS } from '@/lib/protocol/compute';
import type { EventBody, LoggedEvent } from '@/lib/protocol/events';
import { fold, reduce } from '@/lib/session/reducer';
import { type initialState, participantOf } from '@/lib/session/state';
import { occlusionTask } from '../../helpers/exercise-tasks';

function log(...bodies: [string | null, EventBody][]): LoggedEvent[] {
  return bodies.map(([actor, body], i) => ({ seq: i + 1, at: '2026-01-01T00:00:00.000Z', actor, body }));
}

const dreamt = { kind: 'channel', layer: 'conv2', channel: 3 } as const;

const created: [null, EventBody] = [null, { type: 'session.created', title: 'Intro', modelId: 'mnist-cnn' }];
const alice: [string, EventBody] = [
  'a',
  { type: 'participant.joined', participantId: 'a', name: 'Alice', role: 'student' },
];

describe('reduce', () => {
  it('records the session and its participants', () => {
    const state = fold(log(created, alice));
    expect(state).toMatchObject({ seq: 2, title: 'Intro', modelId: 'mnist-cnn' });
    expect(state.participants.a).toEqual({ id: 'a', name: 'Alice', role: 'student', joinedSeq: 2 });
  });

  it.each<[string, EventBody[], Partial<ReturnType<typeof initialState>>]>([
    [
      'switches view and drops the probe',
      [
        { type: 'probe.set', probe: { y: 1, x: 2 } },
        { type: 'view.set', view: 'filters' },
      ],
      { view: 'filters', probe: null },
    ],
    [
      'keeps a neuron of the chosen layer',
      [
        { type: 'neuron.set', neuron: { layer: 'c1', channel: 3, y: 1, x: 1 } },
        { type: 'layer.set', layer: 'c1' },
      ],
      { layer: 'c1', neuron: { layer: 'c1', channel: 3, y: 1, x: 1 } },
    ],
    [
      'clears a neuron of another layer',
      [
        { type: 'neuron.set', neuron: { layer: 'c1', channel: 3, y: 1, x: 1 } },
        { type: 'layer.set', layer: 'c2' },
      ],
      { layer: 'c2', neuron: null },
    ],
    [
      'hides the join code and shows the explanations',
      [{ type: 'display.set', display: { joinCode: false, explain: true } }],
      { display: { joinCode: false, explain: true } },
    ],
    [
      'pins a neuron once',
      [
        { type: 'neuron.pin', neuron: { layer: 'c', channel: 0, y: 0, x: 0 } },
        { type: 'neuron.pin', neuron: { layer: 'c', channel: 0, y: 0, x: 0 } },
      ],
      { pinned: [{ layer: 'c', channel: 0, y: 0, x: 0 }] },
    ],
    [
      'unpins',
      [
        { type: 'neuron.pin', neuron: { layer: 'c', channel: 0, y: 0, x: 0 } },
        { type: 'neuron.unpin', neuron: { layer: 'c', channel: 0, y: 0, x: 0 } },
      ],
      { pinned: [] },
    ],
    ['de-duplicates channels', [{ type: 'channels.set', channels: [3, 1, 3] }], { channels: [3, 1] }],
    [
      'resets selections with the model',
      [
        { type: 'layer.set', layer: 'c1' },
        { type: 'channels.set', channels: [1] },
        { type: 'model.set', modelId: 'other' },
      ],
      { modelId: 'other', layer: null, channels: [] },
    ],
    ['enters free mode', [{ type: 'mode.set', mode: 'free' }], { mode: 'free' }],
    [
      'starts a feature visualisation for the class',
      [{ type: 'featureVis.set', params: { ...FEATURE_VIS_DEFAULTS, objective: dreamt } }],
      { featureVis: { ...FEATURE_VIS_DEFAULTS, objective: dreamt } },
    ],
    [
      'forgets the feature visualisation when the model changes',
      [
        { type: 'featureVis.set', params: { ...FEATURE_VIS_DEFAULTS, objective: dreamt } },
        { type: 'model.set', modelId: 'other' },
      ],
      { featureVis: null },
    ],
  ])('%s', (_, bodies, expected) => {
    const state = fold(log(created, ...bodies.map((b): [string, EventBody] => ['i', b])));
    expect(state).toMatchObject(expected);
  });

  it('replays presence from logs of version 1 as nothing: presence is ephemeral now', () => {
    const before = fold(log(created, alice));
    const state = fold(
      log(
        created,
        alice,
        ['a', { type: 'participant.connection', participantId: 'a', online: false }],
        ['a', { type: 'presence.set', backend: 'webgl' }],
      ),
    );
    expect({ ...state, seq: before.seq }).toEqual(before);
  });

  it('knows no participant called "constructor" or "__proto__"', () => {
    const state = fold(log(created, alice));
    expect(participantOf(state, 'constructor')).toBeUndefined();
    expect(participantOf(state, '__proto__')).toBeUndefined();
    expect(participantOf(state, 'a')?.name).toBe('Alice');
  });

  it('refuses an event out of sequence and leaves the state untouched', () => {
    const state = fold(log(created));
    const before = structuredClone(state);
    expect(() => reduce(state, { ...log(created)[0], seq: 3 })).toThrow(/does not follow/);
    expect(state).toEqual(before);
  });

  it('starts an exercise and keeps a student answer, leaving the views alone', () => {
    const task = occlusionTask({ imageId: 'mnist/3.png' });
    const state = fold(
      log(
        created,
        alice,
        ['i', { type: 'exercise.start', task, prompt: 'Where?', seconds: 60 }],
        ['a', { type: 'exercise.answer', exercise: 3, answer: { kind: 'occlusion', cells: [0, 7] } }],
      ),
    );
    expect(state.exercises).toHaveLength(1);
    expect(state.exercises[0]).toMatchObject({ id: 3, phase: 'open', answered: ['a'] });
    expect(state.view).toBe('receptive-field');
  });

  it('never mutates its input', () => {
    const state = Object.freeze(fold(log(created, alice)));
    const next = reduce(state, { seq: 3, at: '', actor: 'i', body: { type: 'channels.set', channels: [1] } });
    expect(next.channels).toEqual([1]);
    expect(state.channels).toEqual([]);
  });
});
