import { formatPercent } from '@/lib/exercises/cells';
import type { ExerciseResult } from '@/lib/protocol/exercise';

/** A student's own score, with the numbers behind it. */
export function ScoreLine({ result, topN }: { result: ExerciseResult | undefined; topN: number }) {
  if (!result) {
    return (
      <p data-testid="exercise-score" data-score="" className="text-lg text-slate-700">
        You did not answer this one.
      </p>
    );
  }
  const { score } = result;
  const detail =
    score.kind === 'occlusion'
      ? `${score.hits} of your cells ${score.hits === 1 ? 'is' : 'are'} among the true top ${topN}` +
        (score.near
          ? `, ${score.near} more ${score.near === 1 ? 'touches one' : 'touch them'} (half credit)`
          : '') +
        (score.rho === null ? '' : `; rank agreement ρ = ${score.rho.toFixed(2)}`)
      : `off by ${formatPercent(score.error)} percentage points`;
  return (
    <p
      data-testid="exercise-score"
      data-score={score.score.toFixed(4)}
      className="rounded-lg bg-indigo-50 px-4 py-3 text-lg text-indigo-950"
    >
      Your score: <span className="font-semibold tabular-nums">{formatPercent(score.score * 100)}%</span>{' '}
      <span className="text-base text-indigo-900">({detail})</span>
    </p>
  );
}
