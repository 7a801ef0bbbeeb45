import type { ExerciseAnswer, ExerciseResult, ExerciseTask, ExerciseTruth } from '../protocol/exercise';
import type { SessionState } from '../session/state';

export type ExercisePhase = 'open' | 'closed' | 'revealed';

/** One exercise as the log tells it. */
export interface ExerciseState {
  /** The seq of its `exercise.start` event. */
  id: number;
  task: ExerciseTask;
  prompt: string;
  startedAt: string;
  /** Answers are taken up to this instant (ISO, the server's clock). */
  deadline: string;
  /** open: taking answers; closed: the reveal is being computed; revealed: truth and scores are known. */
  phase: ExercisePhase;
  /** Students who have answered, in the order of their first answer: the live count. */
  answered: string[];
  /**
   * The answers this copy of the state may hold. The server's copy (and a replay of the stored log)
   * has all of them; before the reveal a browser holds only its own; after it, everyone's.
   */
  answers: Record<string, ExerciseAnswer>;
  truth: ExerciseTruth | null;
  /** Scores, in the order of `answered`; empty until revealed. */
  results: ExerciseResult[];
  /** The instructor shows the leaderboard to everyone. */
  leaderboard: boolean;
  /** Put away: the views are back. */
  dismissed: boolean;
}

/** The exercise on screen: the latest one unless it was put away. */
export function currentExercise(state: SessionState): ExerciseState | null {
  const last = state.exercises.at(-1);
  return last && !last.dismissed ? last : null;
}

export function findExercise(state: SessionState, id: number): ExerciseState | undefined {
  return state.exercises.find((e) => e.id === id);
}

/** Cells in an occlusion exercise's grid. */
export function cellCount(task: ExerciseTask): number {
  return task.kind === 'occlusion' ? task.rows * task.cols : 0;
}

/** How many cells a student paints: N, or the whole grid when it is smaller than N. */
export function paintLimit(task: ExerciseTask): number {
  return task.kind === 'occlusion' ? Math.min(task.topN, task.rows * task.cols) : 0;
}
