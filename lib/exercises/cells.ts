import type { ExerciseAnswer, ExerciseTask } from '../protocol/exercise';

/** A grid cell for people: row and column counted from 1, e.g. "r2c5". */
export function cellName(cell: number, cols: number): string {
  return `r${Math.floor(cell / cols) + 1}c${(cell % cols) + 1}`;
}

/** An answer in a few words, for tables and the CSV export. */
export function answerSummary(answer: ExerciseAnswer, task: ExerciseTask): string {
  if (answer.kind === 'probe') return `${formatPercent(answer.percent)}%`;
  if (answer.cells.length === 0) return 'no cells';
  const cols = task.kind === 'occlusion' ? task.cols : 1;
  return [...answer.cells]
    .sort((a, b) => a - b)
    .map((cell) => cellName(cell, cols))
    .join(' ');
}

/** How many of the given answers painted each cell: the class's combined prediction. */
export function paintCounts(answers: Iterable<ExerciseAnswer>, cellCount: number): number[] {
  const counts = new Array<number>(cellCount).fill(0);
  for (const answer of answers) {
    if (answer.kind !== 'occlusion') continue;
    for (const cell of answer.cells) if (cell < cellCount) counts[cell]++;
  }
  return counts;
}

/** Up to one decimal, without a trailing ".0". */
export function formatPercent(percent: number): string {
  return String(Math.round(percent * 10) / 10);
}
