import { useId } from 'react';
import { formatPercent } from '@/lib/exercises/cells';
import { leaderboard } from '@/lib/exercises/leaderboard';
import type { ExerciseState } from '@/lib/exercises/state';
import type { SessionState } from '@/lib/session/state';

export function LeaderboardTable({
  exercise,
  participants,
  highlight,
  title = 'Leaderboard',
  note,
  hideZero = true,
  testId = 'leaderboard',
}: {
  exercise: ExerciseState;
  participants: SessionState['participants'];
  highlight: string | null;
  title?: string;
  note?: string;
  /** The class's leaderboard leaves zero scores out: it shows who did well without naming who missed. */
  hideZero?: boolean;
  testId?: string;
}) {
  const headingId = useId();
  const rows = leaderboard(exercise.results, participants, { hideZero });
  const zeros = exercise.results.length - rows.length;
  const details = new Map(exercise.results.map((r) => [r.participantId, r.score]));
  return (
    <section aria-labelledby={headingId} className="rounded-xl border border-slate-200 p-4">
      <h3 id={headingId} className="font-semibold text-slate-900">
        {title}
      </h3>
      {note && <p className="text-sm text-slate-600">{note}</p>}
      {exercise.results.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">Nobody answered.</p>
      ) : rows.length === 0 ? (
        <p className="mt-2 text-sm text-slate-600">No answer scored above 0 this time.</p>
      ) : (
        <table data-testid={testId} className="mt-2 w-full max-w-lg text-left text-sm">
          <thead className="text-slate-500">
            <tr>
              <th className="py-1 pr-3 font-medium">#</th>
              <th className="py-1 pr-3 font-medium">Student</th>
              <th className="py-1 pr-3 font-medium">Score</th>
              <th className="py-1 font-medium">
                {exercise.task.kind === 'occlusion' ? 'Top cells hit (near)' : 'Error'}
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => {
              const score = details.get(row.participantId);
              return (
                <tr
                  key={row.participantId}
                  data-testid={`${testId}-row`}
                  className={row.participantId === highlight ? 'bg-cyan-50 font-semibold' : ''}
                >
                  <td className="py-1 pr-3 tabular-nums">{row.rank}</td>
                  <td className="py-1 pr-3">{row.name}</td>
                  <td className="py-1 pr-3 tabular-nums">{formatPercent(row.score * 100)}%</td>
                  <td className="py-1 tabular-nums">
                    {score?.kind === 'occlusion'
                      ? `${score.hits}${score.near ? ` (+${score.near} near)` : ''}`
                      : score
                        ? `${formatPercent(score.error)} pts`
                        : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {zeros > 0 && rows.length > 0 && (
        <p data-testid="leaderboard-zeros" className="mt-2 text-sm text-slate-600">
          {zeros} {zeros === 1 ? 'answer' : 'answers'} scored 0 and {zeros === 1 ? 'is' : 'are'} not listed.
        </p>
      )}
    </section>
  );
}
