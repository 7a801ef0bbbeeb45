import {
  DEFAULT_OCCLUSION_PROMPT,
  DEFAULT_PROBE_PROMPT,
  type ExerciseKind,
  type ExerciseTask,
  MAX_PAINT_SIDE,
} from '../protocol/exercise';
import { fitOcclusion } from '../protocol/occlusion-grid';
import type { SessionState } from '../session/state';

export type TaskOrProblem =
  | { task: ExerciseTask; problem?: undefined }
  | { task?: undefined; problem: string };

/**
 * The task an exercise started now would pose: the session's image, model, fill and class. A probe
 * exercise asks about the live patch; an occlusion exercise uses its own `grid` (patch and stride,
 * lib/exercises/grids.ts), not the live view's, whose map the class may have seen.
 */
export function taskFromSession(
  kind: ExerciseKind,
  state: SessionState,
  inputSize: { height: number; width: number },
  topN: number,
  grid: { patch: number; stride: number } | null,
): TaskOrProblem {
  const { modelId, imageId, occlusion, probe } = state;
  if (!imageId) return { problem: 'Choose an image first.' };
  const base = { modelId, imageId, fill: occlusion.fill, classIndex: occlusion.classIndex };
  if (kind === 'probe') {
    if (!probe) return { problem: 'Place the patch first: drag it onto the image in the occlusion view.' };
    const { patch } = fitOcclusion(occlusion, inputSize);
    return { task: { kind: 'probe', ...base, patch, y: probe.y, x: probe.x } };
  }
  if (!grid) return { problem: 'This input gives no grid coarse enough to paint.' };
  const { patch, stride, rows, cols } = fitOcclusion(grid, inputSize);
  if (rows > MAX_PAINT_SIDE || cols > MAX_PAINT_SIDE) {
    return {
      problem: `A ${rows}×${cols} grid is too fine to paint: at most ${MAX_PAINT_SIDE}×${MAX_PAINT_SIDE}.`,
    };
  }
  return {
    task: {
      kind: 'occlusion',
      ...base,
      patch,
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
