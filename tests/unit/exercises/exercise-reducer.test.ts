import { describe, expect, it } from 'vitest';
import { redactEvent, redactState } from '@/lib/exercises/redact';
import { currentExercise } from '@/lib/exercises/state';
import type { EventBody, LoggedEvent } from '@/lib/protocol/events';
import { ExerciseRefusal } from '@/lib/session/exercise-reducer';
import { fold, reduce } from '@/lib/session/reducer';
import { occlusionTask } from '../../helpers/exercise-tasks';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const task = occlusionTask({ topN: 2 });

/** A log whose events are `seconds` after T0. */
function log(...entries: [number, string | null, EventBody][]): LoggedEvent[] {
  return entries.map(([seconds, actor, body], i) => ({
    seq: i + 1,
    at: new Date(T0 + seconds * 1000).toISOString(),
    actor,
    body,
  }));
}

const setup: [number, string | null, EventBody][] = [
  [0, null, { type: 'session.created', title: 'Digits', modelId: 'mnist-cnn' }],
  [0, 't', { type: 'participant.joined', participantId: 't', name: 'Instructor', role: 'instructor' }],
  [0, 'a', { type: 'participant.joined', participantId: 'a', name: 'Ada', role: 'student' }],
  [0, 'b', { type: 'participant.joined', participantId: 'b', name: 'Ben', role: 'student' }],
  [1, 't', { type: 'exercise.start', task, prompt: 'Where?', seconds: 60 }],
];
const START = 5;

function next(events: LoggedEvent[], seconds: number, actor: string | null, body: EventBody): LoggedEvent {
  return { seq: events.length + 1, at: new Date(T0 + seconds * 1000).toISOString(), actor, body };
}

function refusal(fn: () => unknown): ExerciseRefusal {
  try {
    fn();
  } catch (error) {
    if (error instanceof ExerciseRefusal) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe('exercise reducer', () => {
  it('starts an exercise named by its seq with a deadline from the server time', () => {
    const state = fold(log(...setup));
    expect(currentExercise(state)).toMatchObject({
      id: START,
      phase: 'open',
      prompt: 'Where?',
      startedAt: '2026-03-01T10:00:01.000Z',
      deadline: '2026-03-01T10:01:01.000Z',
      answered: [],
    });
  });

  it('keeps the latest answer of each student and counts each once', () => {
    const state = fold(
      log(
        ...setup,
        [5, 'a', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [1] } }],
        [6, 'b', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [2, 3] } }],
        [7, 'a', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [4, 5] } }],
      ),
    );
    const exercise = currentExercise(state)!;
    expect(exercise.answered).toEqual(['a', 'b']);
    expect(exercise.answers).toEqual({
      a: { kind: 'occlusion', cells: [4, 5] },
      b: { kind: 'occlusion', cells: [2, 3] },
    });
  });

  it.each<[string, number, string, EventBody, string]>([
    [
      'after the deadline',
      61.001,
      'a',
      { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [1] } },
      'time is up',
    ],
    [
      'from the instructor',
      5,
      't',
      { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [1] } },
      'only students',
    ],
    [
      'of the wrong kind',
      5,
      'a',
      { type: 'exercise.answer', exercise: START, answer: { kind: 'probe', percent: 3 } },
      'takes a occlusion',
    ],
    [
      'outside the grid',
      5,
      'a',
      { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [36] } },
      '0 to 35',
    ],
    [
      'with more than N cells',
      5,
      'a',
      { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [1, 2, 3] } },
      'at most 2',
    ],
    [
      'to an unknown exercise',
      5,
      'a',
      { type: 'exercise.answer', exercise: 99, answer: { kind: 'occlusion', cells: [1] } },
      'no exercise 99',
    ],
    [
      'a second start while one is open',
      5,
      't',
      { type: 'exercise.start', task, prompt: 'Again', seconds: 30 },
      'reveal the current',
    ],
    [
      'a leaderboard before the reveal',
      5,
      't',
      { type: 'exercise.leaderboard', exercise: START, shown: true },
      'reveal the exercise first',
    ],
  ])('refuses an answer or action %s', (_, seconds, actor, body, message) => {
    const events = log(...setup);
    const state = fold(events);
    expect(refusal(() => reduce(state, next(events, seconds, actor, body))).message).toContain(message);
  });

  it('takes an answer exactly at the deadline', () => {
    const events = log(...setup);
    const answer: EventBody = {
      type: 'exercise.answer',
      exercise: START,
      answer: { kind: 'occlusion', cells: [] },
    };
    expect(reduce(fold(events), next(events, 61, 'a', answer)).exercises[0].answered).toEqual(['a']);
  });

  it('closes on reveal, refuses later answers, and takes answers and scores from the revealed event', () => {
    const events = log(
      ...setup,
      [5, 'a', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [0, 1] } }],
      [8, 't', { type: 'exercise.reveal', exercise: START }],
    );
    const closed = fold(events);
    expect(currentExercise(closed)?.phase).toBe('closed');
    const late: EventBody = {
      type: 'exercise.answer',
      exercise: START,
      answer: { kind: 'occlusion', cells: [2] },
    };
    expect(refusal(() => reduce(closed, next(events, 9, 'b', late))).code).toBe('forbidden');

    const revealed = reduce(
      closed,
      next(events, 9, 't', {
        type: 'exercise.revealed',
        exercise: START,
        truth: { kind: 'occlusion', classIndex: 7, baseProb: 0.99, topCells: [0, 7], threshold: 0.3 },
        results: [
          {
            participantId: 'a',
            answer: { kind: 'occlusion', cells: [0, 1] },
            score: { kind: 'occlusion', score: 0.5, hits: 1, rho: 0.2 },
          },
        ],
      }),
    );
    const exercise = currentExercise(revealed)!;
    expect(exercise.phase).toBe('revealed');
    expect(exercise.truth?.kind).toBe('occlusion');
    expect(exercise.results.map((r) => r.score.score)).toEqual([0.5]);
    const shown = reduce(revealed, {
      seq: revealed.seq + 1,
      at: '2026-03-01T10:00:10.000Z',
      actor: 't',
      body: { type: 'exercise.leaderboard', exercise: START, shown: true },
    });
    expect(currentExercise(shown)?.leaderboard).toBe(true);
    const away = reduce(shown, {
      seq: shown.seq + 1,
      at: '2026-03-01T10:00:11.000Z',
      actor: 't',
      body: { type: 'exercise.dismiss', exercise: START },
    });
    expect(currentExercise(away)).toBeNull();
    expect(away.exercises).toHaveLength(1);
  });
});

describe('redaction', () => {
  const events = log(
    ...setup,
    [5, 'a', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [0, 1] } }],
    [6, 'b', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [2] } }],
    [7, 'a', { type: 'exercise.answer', exercise: START, answer: { kind: 'occlusion', cells: [3] } }],
  );

  it('replaces an answer by someone else with a count-only event of the same seq and actor', () => {
    const answer = events[START];
    expect(redactEvent(answer, 'a')).toBe(answer);
    expect(redactEvent(answer, 'b')).toEqual({
      ...answer,
      body: { type: 'exercise.answered', exercise: START },
    });
    expect(redactEvent(events[0], 'b')).toBe(events[0]);
  });

  it.each(['a', 'b', 't', null])(
    'gives viewer %s by folding the redacted log what redactState gives',
    (viewer) => {
      const full = fold(events);
      const redacted = fold(events.map((e) => redactEvent(e, viewer)));
      expect(redacted).toEqual(redactState(full, viewer));
      expect(redacted.exercises[0].answered).toEqual(['a', 'b']);
      const own =
        viewer === 'a'
          ? { a: { kind: 'occlusion', cells: [3] } }
          : viewer === 'b'
            ? { b: { kind: 'occlusion', cells: [2] } }
            : {};
      expect(redacted.exercises[0].answers).toEqual(own);
    },
  );

  it('leaves revealed exercises whole', () => {
    const revealed = fold([
      ...events,
      next(events, 8, 't', { type: 'exercise.reveal', exercise: START }),
      {
        seq: events.length + 2,
        at: new Date(T0 + 9000).toISOString(),
        actor: 't',
        body: {
          type: 'exercise.revealed',
          exercise: START,
          truth: { kind: 'occlusion', classIndex: 7, baseProb: 0.9, topCells: [2, 3], threshold: 0.1 },
          results: [
            {
              participantId: 'a',
              answer: { kind: 'occlusion', cells: [3] },
              score: { kind: 'occlusion', score: 0.5, hits: 1, rho: null },
            },
            {
              participantId: 'b',
              answer: { kind: 'occlusion', cells: [2] },
              score: { kind: 'occlusion', score: 0.5, hits: 1, rho: null },
            },
          ],
        },
      },
    ]);
    expect(redactState(revealed, 'a')).toBe(revealed);
    expect(Object.keys(revealed.exercises[0].answers)).toEqual(['a', 'b']);
  });
});
