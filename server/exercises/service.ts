import { revealExercise } from '../../lib/exercises/results';
import { findExercise } from '../../lib/exercises/state';
import { type Action, mayPerform } from '../../lib/protocol/actions';
import type { EventBody, LoggedEvent } from '../../lib/protocol/events';
import { type ExerciseTask, MAX_PAINT_SIDE } from '../../lib/protocol/exercise';
import { fitOcclusion, occlusionProblem, probeFits } from '../../lib/protocol/occlusion-grid';
import { ExerciseRefusal } from '../../lib/session/exercise-reducer';
import type { ImageCatalog } from '../catalog/images';
import type { ModelFiles } from '../catalog/model-files';
import type { ComputeService } from '../compute/service';
import type { Logger } from '../log';
import { SessionError } from '../session/errors';
import type { Member, SessionService } from '../session/service';
import type { ExerciseTables } from './tables';
import { measure, TruthUnavailable } from './truth';

export type ExerciseAction = Extract<Action, { type: `exercise.${string}` }>;

export function isExerciseAction(action: Action): action is ExerciseAction {
  return action.type.startsWith('exercise.');
}

export interface ExerciseDeps {
  sessions: SessionService;
  compute: ComputeService;
  models: ModelFiles;
  images: ImageCatalog;
  tables: ExerciseTables;
  log: Logger;
}

/**
 * The server's side of exercises. The rules themselves (deadline, who may
 * answer, one open exercise) are the reducer's, checked as each event is
 * appended; here: checking a task can be computed, the reveal (truth from the
 * compute service, then scores), and the Exercise and Prediction tables.
 */
export class ExerciseService {
  private readonly revealing = new Map<string, Promise<LoggedEvent>>();

  constructor(private readonly deps: ExerciseDeps) {}

  async act(member: Member, action: ExerciseAction): Promise<LoggedEvent> {
    const { room } = member;
    switch (action.type) {
      case 'exercise.start': {
        requireRole(member, action.type);
        await this.checkTask(action.task);
        const event = await this.append(member, action);
        const exercise = findExercise(room.state, event.seq);
        if (exercise) await this.record(() => this.deps.tables.started(room.id, exercise));
        return event;
      }
      case 'exercise.answer': {
        const event = await this.append(member, action);
        await this.record(() =>
          this.deps.tables.answered(room.id, action.exercise, member.participantId, action.answer, event.at),
        );
        return event;
      }
      case 'exercise.reveal':
        return this.reveal(member, action.exercise);
      case 'exercise.leaderboard':
      case 'exercise.dismiss':
        return this.append(member, action);
    }
  }

  /** One reveal per exercise at a time: a second click waits for the first. */
  private reveal(member: Member, exerciseId: number): Promise<LoggedEvent> {
    requireRole(member, 'exercise.reveal');
    const key = `${member.room.id}/${exerciseId}`;
    let running = this.revealing.get(key);
    if (!running) {
      running = this.revealNow(member, exerciseId).finally(() => this.revealing.delete(key));
      this.revealing.set(key, running);
    }
    return running;
  }

  private async revealNow(member: Member, exerciseId: number): Promise<LoggedEvent> {
    const { room } = member;
    // A reveal whose truth could not be computed left the exercise closed: try again without closing twice.
    if (findExercise(room.state, exerciseId)?.phase !== 'closed') {
      await this.append(member, { type: 'exercise.reveal', exercise: exerciseId });
    }
    // Closed: no answer can arrive any more, so those in the state are final.
    const closed = findExercise(room.state, exerciseId);
    if (!closed) throw new SessionError('not-found', `there is no exercise ${exerciseId}`);
    const measured = await measure(this.deps.compute, closed.task).catch((error: Error) => {
      if (error instanceof TruthUnavailable) {
        throw new SessionError(
          'internal',
          `the truth cannot be computed now (${error.message}): reveal again`,
        );
      }
      throw new SessionError('bad-request', `could not compute the truth: ${error.message}`);
    });
    const { truth, results } = revealExercise(closed, measured);
    const event = await this.appendFact(member, {
      type: 'exercise.revealed',
      exercise: exerciseId,
      truth,
      results,
    });
    const revealed = findExercise(room.state, exerciseId);
    if (revealed) await this.record(() => this.deps.tables.revealed(room.id, revealed, event.at));
    return event;
  }

  /** A task must be computable here: a known model and image, a patch that fits, the model's grid. */
  private async checkTask(task: ExerciseTask): Promise<void> {
    const served = await this.deps.models.get(task.modelId).catch(() => {
      throw new SessionError('bad-request', `there is no model "${task.modelId}"`);
    });
    if (!this.deps.images.resolve(task.imageId)) {
      throw new SessionError('bad-request', `there is no image "${task.imageId}"`);
    }
    const input = served.manifest.inputSize;
    const problem = occlusionProblem(
      { patch: task.patch, stride: task.kind === 'occlusion' ? task.stride : 1 },
      input,
    );
    if (problem) throw new SessionError('bad-request', problem);
    if (task.kind === 'occlusion') {
      const { rows, cols } = fitOcclusion(task, input);
      if (task.rows !== rows || task.cols !== cols) {
        throw new SessionError('bad-request', `this patch and stride give a ${rows}×${cols} grid`);
      }
      if (rows > MAX_PAINT_SIDE || cols > MAX_PAINT_SIDE) {
        throw new SessionError(
          'bad-request',
          `a ${rows}×${cols} grid is too fine to paint: at most ${MAX_PAINT_SIDE}×${MAX_PAINT_SIDE} cells`,
        );
      }
    } else if (!probeFits(task, task.patch, input)) {
      throw new SessionError('bad-request', 'the patch must stay centred on the image');
    }
  }

  /** Appends through the room's queue, where the reducer checks the rules against that very event. */
  private append(member: Member, action: ExerciseAction): Promise<LoggedEvent> {
    return refusalsAsErrors(this.deps.sessions.act(member, action));
  }

  /** A fact only the server states, in the name of the member who caused it. */
  private appendFact(member: Member, body: EventBody): Promise<LoggedEvent> {
    return refusalsAsErrors(member.room.append(member.participantId, body));
  }

  /** The tables follow the log; if a write fails the log still has everything, so it is logged, not thrown. */
  private async record(write: () => Promise<void>): Promise<void> {
    try {
      await write();
    } catch (error) {
      this.deps.log.error({ err: error }, 'could not record an exercise in its tables');
    }
  }
}

function requireRole(member: Member, type: ExerciseAction['type']): void {
  if (!mayPerform(member.role, type))
    throw new SessionError('forbidden', `only the instructor may send ${type}`);
}

async function refusalsAsErrors(append: Promise<LoggedEvent>): Promise<LoggedEvent> {
  try {
    return await append;
  } catch (error) {
    if (error instanceof ExerciseRefusal) throw new SessionError(error.code, error.message);
    throw error;
  }
}
