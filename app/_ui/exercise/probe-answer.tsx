'use client';

import { useId, useState } from 'react';
import { formatPercent } from '@/lib/exercises/cells';
import type { ExerciseState } from '@/lib/exercises/state';
import type { Dispatch } from '../session/dispatch';
import { useSend } from './send';
import { SubmitRow } from './submit-row';

/** A student guesses the class probability with the patch in place, 0–100 %. */
export function ProbeAnswer({
  exercise,
  participantId,
  label,
  closed,
  dispatch,
}: {
  exercise: ExerciseState;
  participantId: string;
  label: string;
  closed: boolean;
  dispatch: Dispatch | undefined;
}) {
  const own = exercise.answers[participantId];
  const saved = own?.kind === 'probe' ? own.percent : null;
  const [guess, setGuess] = useState(saved ?? 50);
  const { send, busy, error } = useSend(dispatch);
  const id = useId();
  const set = (value: number) => {
    if (Number.isFinite(value)) setGuess(Math.min(100, Math.max(0, value)));
  };

  return (
    <div className="space-y-3">
      <label htmlFor={id} className="block font-medium text-slate-800">
        Your guess: P({label}) with the patch, in %
      </label>
      <div className="flex flex-wrap items-center gap-3">
        <input
          type="range"
          min={0}
          max={100}
          step={1}
          value={guess}
          disabled={closed}
          onChange={(e) => set(Number(e.target.value))}
          aria-label="Guess slider"
          className="w-64"
        />
        <input
          id={id}
          type="number"
          min={0}
          max={100}
          step={0.1}
          value={guess}
          disabled={closed}
          onChange={(e) => set(Number(e.target.value))}
          data-testid="probe-guess"
          className="w-24 rounded border px-2 py-1 tabular-nums"
        />
        <span>%</span>
      </div>
      <SubmitRow
        label={saved === null ? 'Submit answer' : 'Update answer'}
        disabled={closed || busy || saved === guess}
        onSubmit={() =>
          void send({
            type: 'exercise.answer',
            exercise: exercise.id,
            answer: { kind: 'probe', percent: guess },
          })
        }
        status={saved === null ? 'Not answered yet.' : `Saved: ${formatPercent(saved)}%.`}
        error={error?.message}
      />
    </div>
  );
}
