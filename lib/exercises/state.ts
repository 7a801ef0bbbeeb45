import type { ExerciseTask } from '../protocol/exercise';
import type { ExerciseState, SessionState } from '../protocol/state';

export type { ExercisePhase, ExerciseState } from '../protocol/state';

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
