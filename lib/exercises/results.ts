import type { ExerciseResult, ExerciseTruth } from '../protocol/exercise';
import { scoreOcclusionAnswer, scoreProbeAnswer, topCells } from './scoring';
import type { ExerciseState } from './state';

/** What the model actually does for an exercise's task: the occlusion map, or the probed probability. */
export type Measured =
  | { kind: 'occlusion'; classIndex: number; baseProb: number; drop: ArrayLike<number> }
  | { kind: 'probe'; classIndex: number; prob: number };

/** The truth and every answer's score, as `exercise.revealed` records them. */
export function revealExercise(
  exercise: ExerciseState,
  measured: Measured,
): { truth: ExerciseTruth; results: ExerciseResult[] } {
  const { task } = exercise;
  const answers = exercise.answered.flatMap((id) => {
    const answer = exercise.answers[id];
    return answer ? [{ participantId: id, answer }] : [];
  });
  if (task.kind === 'occlusion' && measured.kind === 'occlusion') {
    if (measured.drop.length !== task.rows * task.cols) {
      throw new RangeError(
        `the map has ${measured.drop.length} cells, the exercise ${task.rows * task.cols}`,
      );
    }
    const top = topCells(measured.drop, task.topN);
    return {
      truth: {
        kind: 'occlusion',
        classIndex: measured.classIndex,
        baseProb: measured.baseProb,
        topCells: top.cells,
        // JSON has no infinities: a map without one finite drop has no threshold.
        threshold: Number.isFinite(top.threshold) ? top.threshold : null,
      },
      results: answers.map(({ participantId, answer }) => ({
        participantId,
        answer,
        score: scoreOcclusionAnswer(
          answer.kind === 'occlusion' ? answer.cells : [],
          measured.drop,
          top,
          task.topN,
          task.cols,
        ),
      })),
    };
  }
  if (task.kind === 'probe' && measured.kind === 'probe') {
    return {
      truth: { kind: 'probe', classIndex: measured.classIndex, prob: measured.prob },
      results: answers.map(({ participantId, answer }) => ({
        participantId,
        answer,
        score: scoreProbeAnswer(answer.kind === 'probe' ? answer.percent : 0, measured.prob),
      })),
    };
  }
  throw new TypeError(`a ${measured.kind} measurement does not fit a ${task.kind} exercise`);
}
