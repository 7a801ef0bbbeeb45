import {
  DEFAULT_OCCLUSION_PROMPT,
  DEFAULT_PROBE_PROMPT,
  type ExerciseKind,
  type ExerciseTask,
  MAX_PAINT_SIDE,
} from '../protocol/exercise';
import { clampProbe, fitOcclusion, type InputSize, type Point } from '../protocol/occlusion-grid';
import type { SessionState } from '../session/state';

export type TaskOrProblem =
  | { task: ExerciseTask; problem?: undefined }
  | { task?: undefined; problem: string };

/**
 * The task an exercise started now would pose: the session's image, model, fill and class, with its own
 * question: an occlusion exercise its own `grid` (patch and stride, lib/exercises/grids.ts), a probe
 * exercise its own patch position `probeAt`, not the live view's, whose map or probability the class may
 * have seen.
 */
export function taskFromSession(
  kind: ExerciseKind,
  state: SessionState,
  inputSize: { height: number; width: number },
  topN: number,
  grid: { patch: number; stride: number } | null,
  probeAt: { y: number; x: number } | null = null,
): TaskOrProblem {
  const { modelId, imageId, occlusion } = state;
  if (!imageId) return { problem: 'Choose an image first.' };
  const base = { modelId, imageId, fill: occlusion.fill, classIndex: occlusion.classIndex };
  if (kind === 'probe') {
    if (!probeAt) return { problem: 'Place the patch on the image first.' };
    const { patch } = fitOcclusion(occlusion, inputSize);
    const { y, x } = clampProbe(probeAt, patch, inputSize);
    return { task: { kind: 'probe', ...base, patch, y, x } };
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

/**
 * Where a probe exercise's patch starts: the image's centre, or beside it when the live patch is there
 * (students following the occlusion view have seen the probability at the live patch).
 */
export function defaultProbeAt(patch: number, input: InputSize, live: Point | null): Point {
  const centre = clampProbe(
    { y: Math.round((input.height - patch) / 2), x: Math.round((input.width - patch) / 2) },
    patch,
    input,
  );
  if (!live || live.y !== centre.y || live.x !== centre.x) return centre;
  return clampProbe({ y: centre.y, x: centre.x + Math.max(1, Math.round(patch / 2)) }, patch, input);
}
