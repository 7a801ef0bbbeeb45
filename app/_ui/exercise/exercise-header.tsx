'use client';

import type { ExerciseState } from '@/lib/exercises/state';
import type { SessionState } from '@/lib/session/state';
import { formatRemaining, useNow } from './use-now';

/** The prompt, what to do, the time left and how many have answered (never what). */
export function ExerciseHeader({
  exercise,
  state,
  label,
  now: fixedNow,
}: {
  exercise: ExerciseState;
  state: SessionState;
  label: string;
  /** A replay's clock (ms since 1970); absent: this browser's. */
  now?: number;
}) {
  const open = exercise.phase === 'open';
  const liveNow = useNow(500, open && fixedNow === undefined);
  const now = fixedNow ?? liveNow;
  const remaining = Date.parse(exercise.deadline) - now;
  const students = Object.values(state.participants).filter((p) => p.role === 'student').length;
  const { task } = exercise;
  const instructions =
    task.kind === 'occlusion'
      ? `Paint the ${Math.min(task.topN, task.rows * task.cols)} cells where covering the image lowers P(${label}) the most.`
      : `Guess P(${label}) with the grey patch where it is.`;
  const clock = !open
    ? exercise.phase === 'closed'
      ? 'Answers closed: revealing…'
      : 'Revealed'
    : remaining > 0
      ? `${formatRemaining(remaining)} left`
      : 'Time is up';

  return (
    <header className="flex flex-wrap items-start gap-x-6 gap-y-2">
      <div className="min-w-0 flex-1">
        <p className="text-xs font-semibold uppercase tracking-wide text-indigo-700">
          Exercise {state.exercises.indexOf(exercise) + 1} ·{' '}
          {task.kind === 'occlusion' ? 'occlusion map' : 'patch probability'}
        </p>
        <h2 className="text-xl font-semibold text-slate-900">{exercise.prompt}</h2>
        <p className="mt-1 text-slate-700">{instructions}</p>
      </div>
      <div className="text-right">
        <p data-testid="exercise-clock" className="text-2xl font-semibold tabular-nums" aria-live="off">
          {clock}
        </p>
        <p
          data-testid="exercise-answered"
          data-count={exercise.answered.length}
          aria-live="polite"
          className="text-sm text-slate-600"
        >
          {exercise.answered.length} of {students} {students === 1 ? 'student has' : 'students have'} answered
        </p>
      </div>
    </header>
  );
}
