// While an exercise is open its truth is the answer: the server computes it for no student until the reveal.
import type { ComputeRequest } from '../protocol/compute';
import type { ExerciseTask } from '../protocol/exercise';
import type { SessionState } from '../protocol/state';

/**
 * Whether `request` would show the truth of `task`: the same occlusion grid (or probe position) on the same
 * model, image and fill. Class and mode are left out on purpose: the top class asked for by index, or an
 * approximate map of the same grid, would give the answer away just as well.
 */
export function revealsTask(request: ComputeRequest, task: ExerciseTask): boolean {
  if (request.kind !== task.kind) return false;
  const same =
    request.modelId === task.modelId &&
    request.imageId === task.imageId &&
    request.patch === task.patch &&
    request.fill === task.fill;
  if (!same) return false;
  if (request.kind === 'occlusion' && task.kind === 'occlusion') return request.stride === task.stride;
  if (request.kind === 'probe' && task.kind === 'probe') return request.y === task.y && request.x === task.x;
  return false;
}

/** The exercise not yet revealed whose answer this request would give away, if any. */
export function exerciseHiding(state: SessionState, request: ComputeRequest): number | null {
  for (const exercise of state.exercises) {
    if (exercise.phase !== 'revealed' && revealsTask(request, exercise.task)) return exercise.id;
  }
  return null;
}
