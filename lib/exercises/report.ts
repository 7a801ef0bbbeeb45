import type { SessionState } from '../session/state';
import { answerSummary } from './cells';
import type { CsvValue } from './csv';

export const REPORT_COLUMNS = [
  'exercise',
  'kind',
  'prompt',
  'started_at',
  'student',
  'status',
  'answer',
  'score',
  'top_cells_hit',
  'near_misses',
  'rank_correlation',
  'error_points',
] as const;

/**
 * One row per student per exercise, from the folded log. Answers are listed
 * only once revealed: before that nobody but their author sees them, the
 * instructor included.
 */
export function exerciseReport(state: SessionState): CsvValue[][] {
  const students = Object.values(state.participants)
    .filter((p) => p.role === 'student')
    .sort((a, b) => a.joinedSeq - b.joinedSeq);
  const rows: CsvValue[][] = [];
  state.exercises.forEach((exercise, i) => {
    const results = new Map(exercise.results.map((r) => [r.participantId, r]));
    for (const student of students) {
      const result = results.get(student.id);
      const answered = exercise.answered.includes(student.id);
      const status =
        exercise.phase !== 'revealed'
          ? answered
            ? 'answered, not revealed'
            : 'no answer yet'
          : result
            ? 'scored'
            : 'no answer';
      const score = result?.score;
      rows.push([
        i + 1,
        exercise.task.kind,
        exercise.prompt,
        exercise.startedAt,
        student.name,
        status,
        result ? answerSummary(result.answer, exercise.task) : '',
        score ? round(score.score) : null,
        score?.kind === 'occlusion' ? score.hits : null,
        score?.kind === 'occlusion' ? (score.near ?? 0) : null,
        score?.kind === 'occlusion' && score.rho !== null ? round(score.rho) : null,
        score?.kind === 'probe' ? round(score.error) : null,
      ]);
    }
  });
  return rows;
}

function round(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
