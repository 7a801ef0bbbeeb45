import { describe, expect, it } from 'vitest';
import { exerciseReport, REPORT_COLUMNS } from '@/lib/exercises/report';
import { revealExercise } from '@/lib/exercises/results';
import type { ExerciseState } from '@/lib/exercises/state';
import type { EventBody, LoggedEvent } from '@/lib/protocol/events';
import type { OcclusionTask, ProbeTask } from '@/lib/protocol/exercise';
import { fold } from '@/lib/session/reducer';

const grid2x2: OcclusionTask = {
  kind: 'occlusion',
  modelId: 'm',
  imageId: 'set/a.png',
  patch: 2,
  stride: 2,
  fill: 'grey',
  classIndex: null,
  rows: 2,
  cols: 2,
  topN: 2,
};

function exercise(task: ExerciseState['task'], answers: ExerciseState['answers']): ExerciseState {
  return {
    id: 4,
    task,
    prompt: 'p',
    startedAt: '2026-01-01T00:00:00.000Z',
    deadline: '2026-01-01T00:01:00.000Z',
    phase: 'closed',
    answered: Object.keys(answers),
    answers,
    truth: null,
    results: [],
    leaderboard: false,
    dismissed: false,
  };
}

describe('revealExercise', () => {
  it('derives the top cells from the drops and scores each answer in answer order', () => {
    const closed = exercise(grid2x2, {
      b: { kind: 'occlusion', cells: [3, 2] },
      a: { kind: 'occlusion', cells: [0] },
    });
    const { truth, results } = revealExercise(closed, {
      kind: 'occlusion',
      classIndex: 7,
      baseProb: 0.9,
      drop: [0.5, 0.1, 0.3, 0.3],
    });
    // Drops 0.5 and 0.3 (twice): the 2nd largest is 0.3, tied, so three top cells.
    expect(truth).toEqual({
      kind: 'occlusion',
      classIndex: 7,
      baseProb: 0.9,
      topCells: [0, 2, 3],
      threshold: 0.3,
    });
    expect(results.map((r) => [r.participantId, r.score.score])).toEqual([
      ['b', 1],
      ['a', 0.5],
    ]);
  });

  it('scores probability guesses against the probed probability', () => {
    const probe: ProbeTask = {
      kind: 'probe',
      modelId: 'm',
      imageId: 'set/a.png',
      patch: 2,
      fill: 'grey',
      classIndex: 1,
      y: 0,
      x: 0,
    };
    const { truth, results } = revealExercise(exercise(probe, { a: { kind: 'probe', percent: 30 } }), {
      kind: 'probe',
      classIndex: 1,
      prob: 0.25,
    });
    expect(truth).toEqual({ kind: 'probe', classIndex: 1, prob: 0.25 });
    expect(results[0].score).toEqual({ kind: 'probe', score: 0.95, error: 5 });
  });

  it('refuses a measurement that does not fit the task', () => {
    const closed = exercise(grid2x2, {});
    expect(() => revealExercise(closed, { kind: 'probe', classIndex: 0, prob: 0.5 })).toThrow(TypeError);
    expect(() =>
      revealExercise(closed, { kind: 'occlusion', classIndex: 0, baseProb: 1, drop: [0.1, 0.2] }),
    ).toThrow(RangeError);
  });

  it('has no threshold when no drop is finite (JSON has no infinity)', () => {
    const { truth } = revealExercise(exercise(grid2x2, {}), {
      kind: 'occlusion',
      classIndex: 0,
      baseProb: 1,
      drop: [Number.NaN, Number.NaN, Number.NaN, Number.NaN],
    });
    expect(truth).toMatchObject({ topCells: [0, 1, 2, 3], threshold: null });
  });
});

describe('exerciseReport', () => {
  const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 9, 0, s)).toISOString();
  const bodies: [string | null, EventBody][] = [
    [null, { type: 'session.created', title: 'T', modelId: 'm' }],
    ['a', { type: 'participant.joined', participantId: 'a', name: 'Ada', role: 'student' }],
    ['b', { type: 'participant.joined', participantId: 'b', name: 'Ben', role: 'student' }],
    ['t', { type: 'participant.joined', participantId: 't', name: 'Instructor', role: 'instructor' }],
    ['t', { type: 'exercise.start', task: grid2x2, prompt: 'Where, "exactly"?', seconds: 60 }],
    ['a', { type: 'exercise.answer', exercise: 5, answer: { kind: 'occlusion', cells: [3, 0] } }],
  ];
  const events: LoggedEvent[] = bodies.map(([actor, body], i) => ({ seq: i + 1, at: at(i), actor, body }));

  it('lists every student of every exercise, answers only once revealed', () => {
    expect(REPORT_COLUMNS).toHaveLength(12);
    expect(exerciseReport(fold(events))).toEqual([
      [
        1,
        'occlusion',
        'Where, "exactly"?',
        at(4),
        'Ada',
        'answered, not revealed',
        '',
        null,
        null,
        null,
        null,
        null,
      ],
      [1, 'occlusion', 'Where, "exactly"?', at(4), 'Ben', 'no answer yet', '', null, null, null, null, null],
    ]);
    const revealed = fold([
      ...events,
      { seq: 7, at: at(7), actor: 't', body: { type: 'exercise.reveal', exercise: 5 } },
      {
        seq: 8,
        at: at(8),
        actor: 't',
        body: {
          type: 'exercise.revealed',
          exercise: 5,
          truth: { kind: 'occlusion', classIndex: 1, baseProb: 0.8, topCells: [0, 1], threshold: 0.2 },
          results: [
            {
              participantId: 'a',
              answer: { kind: 'occlusion', cells: [3, 0] },
              score: { kind: 'occlusion', score: 0.5, hits: 1, rho: 1 / 3 },
            },
          ],
        },
      },
    ]);
    expect(exerciseReport(revealed)).toEqual([
      // A score from an older log has no near-miss count: none.
      [1, 'occlusion', 'Where, "exactly"?', at(4), 'Ada', 'scored', 'r1c1 r2c2', 0.5, 1, 0, 0.3333, null],
      [1, 'occlusion', 'Where, "exactly"?', at(4), 'Ben', 'no answer', '', null, null, null, null, null],
    ]);
  });
});
