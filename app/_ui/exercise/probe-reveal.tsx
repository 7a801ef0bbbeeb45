'use client';

import { formatPercent } from '@/lib/exercises/cells';
import type { ExerciseState } from '@/lib/exercises/state';
import { GuessStrip } from './guess-strip';
import { ScoreLine } from './score-line';

/** The probed probability, everyone's guesses around it, and the viewer's own error. */
export function ProbeReveal({
  exercise,
  participantId,
  label,
  cleanProb,
}: {
  exercise: ExerciseState;
  participantId: string | null;
  label: string;
  cleanProb: number | null;
}) {
  const truth = exercise.truth?.kind === 'probe' ? exercise.truth : null;
  if (!truth) return null;
  const guesses = Object.values(exercise.answers).flatMap((a) => (a.kind === 'probe' ? [a.percent] : []));
  const own = participantId ? exercise.answers[participantId] : undefined;
  const result = exercise.results.find((r) => r.participantId === participantId);
  return (
    <div className="space-y-4">
      {participantId && <ScoreLine result={result} topN={0} />}
      <p data-testid="exercise-truth" data-prob={truth.prob} className="text-2xl font-semibold tabular-nums">
        With the patch: P({label}) = <span className="text-rose-700">{formatPercent(truth.prob * 100)}%</span>
        {cleanProb !== null && (
          <span className="block text-base font-normal text-slate-600">
            {formatPercent(cleanProb * 100)}% on the clean image
          </span>
        )}
      </p>
      <figure data-testid="exercise-class-map" data-guesses={guesses.join(',')} className="space-y-1">
        <figcaption className="font-medium text-slate-900">The class's guesses</figcaption>
        <GuessStrip
          guesses={guesses}
          own={own?.kind === 'probe' ? own.percent : null}
          truth={truth.prob * 100}
        />
      </figure>
    </div>
  );
}
