import {
  DEFAULT_OCCLUSION_PROMPT,
  DEFAULT_PROBE_PROMPT,
  type ExerciseKind,
  type ExerciseTask,
  MAX_GRID_SIDE,
} from '../protocol/exercise';
import { fitOcclusion } from '../protocol/occlusion-grid';
import type { SessionState } from '../session/state';

export type TaskOrProblem =
  | { task: ExerciseTask; problem?: undefined }
  | { task?: undefined; problem: string };

/**
 * The task an exercise started now would pose: the session's image and model
 * with its occlusion settings, sized like the occlusion view (the patch at
 * most the input side), so the truth is the very map that view shows.
 */
export function taskFromSession(
  kind: ExerciseKind,
  state: SessionState,
  inputSize: { height: number; width: number },
  topN: number,
): TaskOrProblem {
  const { modelId, imageId, occlusion, probe } = state;
  if (!imageId) return { problem: 'Choose an image first.' };
  const { patch, stride, rows, cols } = fitOcclusion(occlusion, inputSize);
  const base = { modelId, imageId, patch, fill: occlusion.fill, classIndex: occlusion.classIndex };
  if (kind === 'probe') {
    if (!probe) return { problem: 'Place the patch first: drag it onto the image in the occlusion view.' };
    return { task: { kind: 'probe', ...base, y: probe.y, x: probe.x } };
  }
  if (rows > MAX_GRID_SIDE || cols > MAX_GRID_SIDE) {
    return { problem: `A ${rows}×${cols} grid is too fine to paint: use a larger stride.` };
  }
  return {
    task: {
      kind: 'occlusion',
      ...base,
      stride,
      rows,
      cols,
      topN: Math.min(topN, rows * cols),
    },
  };
}

export function defaultPrompt(kind: ExerciseKind): string {
  return kind === 'occlusion' ? DEFAULT_OCCLUSION_PROMPT : DEFAULT_PROBE_PROMPT;
}
