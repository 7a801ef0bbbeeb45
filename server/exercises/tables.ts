import type { ExerciseState } from '../../lib/exercises/state';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { ExerciseAnswer } from '../../lib/protocol/exercise';
import type { Db } from '../db/client';

/**
 * Exercises and answers in the Exercise and Prediction tables, for queries
 * across sessions. The log stays the record (replays and the CSV fold it);
 * these rows follow it, written with upserts so a retry never duplicates.
 */
export class ExerciseTables {
  constructor(private readonly db: Db) {}

  /** Exercise ids are unique per session (their start seq); the row id adds the session. */
  static rowId(sessionId: string, exerciseId: number): string {
    return `${sessionId}-${exerciseId}`;
  }

  async started(sessionId: string, exercise: ExerciseState): Promise<void> {
    const id = ExerciseTables.rowId(sessionId, exercise.id);
    const data = {
      kind: exercise.task.kind,
      startedSeq: exercise.id,
      params: JSON.stringify({ task: exercise.task, prompt: exercise.prompt, deadline: exercise.deadline }),
      createdAt: new Date(exercise.startedAt),
    };
    await this.db.exercise.upsert({ where: { id }, create: { id, sessionId, ...data }, update: data });
  }

  async answered(
    sessionId: string,
    exerciseId: number,
    participantId: string,
    answer: ExerciseAnswer,
    at: string,
  ): Promise<void> {
    const key = { exerciseId: ExerciseTables.rowId(sessionId, exerciseId), participantId };
    const data = { answer: JSON.stringify(answer), updatedAt: new Date(at) };
    await this.db.prediction.upsert({
      where: { exerciseId_participantId: key },
      create: { ...key, ...data },
      update: data,
    });
  }

  /** An imported log's rows: from its exercises as the log ends and (at least) its answer and reveal events. */
  async fromFolded(
    sessionId: string,
    exercises: readonly ExerciseState[],
    events: readonly LoggedEvent[],
  ): Promise<void> {
    for (const exercise of exercises) await this.started(sessionId, exercise);
    for (const event of events) {
      if (event.body.type === 'exercise.answer' && event.actor) {
        await this.answered(sessionId, event.body.exercise, event.actor, event.body.answer, event.at);
      }
      if (event.body.type === 'exercise.revealed') {
        const id = event.body.exercise;
        const exercise = exercises.find((e) => e.id === id);
        if (exercise) await this.revealed(sessionId, exercise, event.at);
      }
    }
  }

  async revealed(sessionId: string, exercise: ExerciseState, at: string): Promise<void> {
    const exerciseId = ExerciseTables.rowId(sessionId, exercise.id);
    await this.db.$transaction([
      this.db.exercise.update({ where: { id: exerciseId }, data: { revealedAt: new Date(at) } }),
      ...exercise.results.map((result) => {
        const key = { exerciseId, participantId: result.participantId };
        const answer = JSON.stringify(result.answer);
        return this.db.prediction.upsert({
          where: { exerciseId_participantId: key },
          create: { ...key, answer, score: result.score.score },
          update: { answer, score: result.score.score },
        });
      }),
    ]);
  }
}
