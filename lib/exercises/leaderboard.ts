import type { ExerciseResult } from '../protocol/exercise';
import type { ParticipantState } from '../session/state';

export interface LeaderboardRow {
  participantId: string;
  name: string;
  score: number;
  /** Equal scores share a rank (1, 1, 3…). */
  rank: number;
}

/** Results best first; equal scores share a rank and are listed by name. */
export function leaderboard(
  results: readonly ExerciseResult[],
  participants: Record<string, ParticipantState>,
): LeaderboardRow[] {
  const rows = results
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
