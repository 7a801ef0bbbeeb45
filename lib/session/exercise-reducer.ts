import { type ExerciseState, findExercise, paintLimit } from '../exercises/state';
import type { EventBody } from '../protocol/events';
import type { ExerciseAnswer } from '../protocol/exercise';
import type { ErrorCode } from '../protocol/socket';
import { participantOf, type SessionState } from './state';

export type ExerciseEventBody = Extract<EventBody, { type: `exercise.${string}` }>;

/**
 * An exercise event the rules do not allow (an answer after the deadline, a
 * second reveal…). Thrown by the reducer, so the server never logs it: the
 * check runs inside the room's one-at-a-time append, against the state and
 * the clock stamp of that very event, which no race can slip past.
 */
export class ExerciseRefusal extends Error {
  constructor(
    readonly code: Extract<ErrorCode, 'forbidden' | 'bad-request'>,
    message: string,
  ) {
    super(message);
  }
}

interface Stamp {
  seq: number;
  at: string;
  actor: string | null;
}

/** The exercise part of `reduce`: pure, and it refuses what the rules forbid. */
export function reduceExercise(state: SessionState, body: ExerciseEventBody, stamp: Stamp): SessionState {
  switch (body.type) {
    case 'exercise.start': {
      const last = state.exercises.at(-1);
      if (last && last.phase !== 'revealed') {
        throw new ExerciseRefusal('forbidden', 'reveal the current exercise before starting another');
      }
      const exercise: ExerciseState = {
        id: stamp.seq,
        task: body.task,
        prompt: body.prompt,
        startedAt: stamp.at,
        deadline: new Date(Date.parse(stamp.at) + body.seconds * 1000).toISOString(),
        phase: 'open',
        answered: [],
        answers: {},
        truth: null,
        results: [],
        leaderboard: false,
        dismissed: false,
      };
      return { ...state, exercises: [...state.exercises, exercise] };
    }
    case 'exercise.answer': {
      const exercise = existing(state, body.exercise);
      const student = acceptingFrom(state, exercise, stamp);
      checkAnswer(exercise, body.answer);
      return update(state, {
        ...answeredBy(exercise, student),
        answers: { ...exercise.answers, [student]: body.answer },
      });
    }
    case 'exercise.answered': {
      // The redacted copy of an answer the server has already accepted.
      const exercise = existing(state, body.exercise);
      return stamp.actor ? update(state, answeredBy(exercise, stamp.actor)) : state;
    }
    case 'exercise.reveal': {
      const exercise = existing(state, body.exercise);
      if (exercise.phase !== 'open')
        throw new ExerciseRefusal('forbidden', 'this exercise is already revealed');
      return update(state, { ...exercise, phase: 'closed' });
    }
    case 'exercise.revealed': {
      const exercise = existing(state, body.exercise);
      if (exercise.phase === 'revealed') {
        throw new ExerciseRefusal('forbidden', 'this exercise is already revealed');
      }
      return update(state, {
        ...exercise,
        phase: 'revealed',
        truth: body.truth,
        results: body.results,
        answers: Object.fromEntries(body.results.map((r) => [r.participantId, r.answer])),
      });
    }
    case 'exercise.leaderboard': {
      const exercise = revealed(existing(state, body.exercise));
      return update(state, { ...exercise, leaderboard: body.shown });
    }
    case 'exercise.dismiss': {
      const exercise = revealed(existing(state, body.exercise));
      return update(state, { ...exercise, dismissed: true });
    }
  }
}

function existing(state: SessionState, id: number): ExerciseState {
  const exercise = findExercise(state, id);
  if (!exercise) throw new ExerciseRefusal('bad-request', `there is no exercise ${id} in this session`);
  return exercise;
}

function revealed(exercise: ExerciseState): ExerciseState {
  if (exercise.phase !== 'revealed') throw new ExerciseRefusal('forbidden', 'reveal the exercise first');
  return exercise;
}

/** The student this answer is from, if the exercise takes it now. */
function acceptingFrom(state: SessionState, exercise: ExerciseState, stamp: Stamp): string {
  if (exercise.phase !== 'open') {
    throw new ExerciseRefusal('forbidden', 'this exercise has been revealed: answers are closed');
  }
  if (Date.parse(stamp.at) > Date.parse(exercise.deadline)) {
    throw new ExerciseRefusal('forbidden', 'time is up: answers are closed');
  }
  const actor = stamp.actor ? participantOf(state, stamp.actor) : undefined;
  if (actor?.role !== 'student') throw new ExerciseRefusal('forbidden', 'only students answer');
  return actor.id;
}

function checkAnswer(exercise: ExerciseState, answer: ExerciseAnswer): void {
  const { task } = exercise;
  if (answer.kind !== task.kind) {
    throw new ExerciseRefusal('bad-request', `this exercise takes a ${task.kind} answer`);
  }
  if (answer.kind === 'occlusion' && task.kind === 'occlusion') {
    const cells = task.rows * task.cols;
    if (answer.cells.some((cell) => cell >= cells)) {
      throw new ExerciseRefusal('bad-request', `cells are numbered 0 to ${cells - 1}`);
    }
    if (answer.cells.length > paintLimit(task)) {
      throw new ExerciseRefusal('bad-request', `paint at most ${paintLimit(task)} cells`);
    }
  }
}

function answeredBy(exercise: ExerciseState, participantId: string): ExerciseState {
  return exercise.answered.includes(participantId)
    ? exercise
    : { ...exercise, answered: [...exercise.answered, participantId] };
}

function update(state: SessionState, exercise: ExerciseState): SessionState {
  return { ...state, exercises: state.exercises.map((e) => (e.id === exercise.id ? exercise : e)) };
}
