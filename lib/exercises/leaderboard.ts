import type { ExerciseResult } from '../protocol/exercise';
import type { ParticipantState } from '../session/state';

export interface LeaderboardRow {
  participantId: string;
  name: string;
  score: number;
  /** Equal scores share a rank (1, 1, 3…). */
  rank: number;
}

/**
 * Results best first; equal scores share a rank and are listed by name. With `hideZero`, scores of 0 are
 * left out (a class sees who did well, nobody is named for missing); ranks are unchanged by it.
 */
export function leaderboard(
  results: readonly ExerciseResult[],
  participants: Record<string, ParticipantState>,
  { hideZero = false }: { hideZero?: boolean } = {},
): LeaderboardRow[] {
  const rows = results
    .filter((r) => !hideZero || r.score.score > 0)
    .map((r) => ({
      participantId: r.participantId,
      name:
        (Object.hasOwn(participants, r.participantId) ? participants[r.participantId].name : undefined) ??
        'someone who left',
      score: r.score.score,
    }))
    .sort((a, b) => b.score - a.score || a.name.localeCompare(b.name));
  let rank = 0;
  return rows.map((row, i) => {
    if (i === 0 || rows[i - 1].score !== row.score) rank = i + 1;
    return { ...row, rank };
  });
}
