'use client';

import type { ExerciseState } from '@/lib/exercises/state';
import type { Dispatch } from '../session/dispatch';
import { useSend } from './send';

const BUTTON =
  'rounded-md px-4 py-2 font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 disabled:cursor-not-allowed disabled:opacity-60';

/** Reveal while answers come in; afterwards show or hide the leaderboard, and put the exercise away. */
export function InstructorBar({
  exercise,
  dispatch,
}: {
  exercise: ExerciseState;
  dispatch: Dispatch | undefined;
}) {
  const { send, busy, error } = useSend(dispatch);
  const id = exercise.id;
  return (
    <div className="flex flex-wrap items-center gap-3">
      {exercise.phase !== 'revealed' ? (
        <button
          type="button"
          data-testid="exercise-reveal"
          disabled={busy}
          onClick={() => void send({ type: 'exercise.reveal', exercise: id })}
          className={`${BUTTON} bg-rose-600 text-white hover:bg-rose-700`}
        >
          {busy ? 'Computing the truth…' : exercise.phase === 'closed' ? 'Reveal again' : 'Reveal'}
        </button>
      ) : (
        <>
          <button
            type="button"
            data-testid="leaderboard-toggle"
            aria-pressed={exercise.leaderboard}
            disabled={busy}
            onClick={() =>
              void send({ type: 'exercise.leaderboard', exercise: id, shown: !exercise.leaderboard })
            }
            className={`${BUTTON} border border-slate-300 bg-white hover:bg-slate-50`}
          >
            {exercise.leaderboard ? 'Hide leaderboard' : 'Show leaderboard'}
          </button>
          <button
            type="button"
            disabled={busy}
            onClick={() => void send({ type: 'exercise.dismiss', exercise: id })}
            className={`${BUTTON} border border-slate-300 bg-white hover:bg-slate-50`}
          >
            Back to the views
          </button>
        </>
      )}
      {error && (
        <span role="alert" className="text-sm text-red-700">
          {error.message}
        </span>
      )}
    </div>
  );
}
