import type { ComputeRequest } from '../protocol/compute';
import type { ExerciseTask, OcclusionTask, ProbeTask } from '../protocol/exercise';

type OcclusionRequest = Extract<ComputeRequest, { kind: 'occlusion' }>;
type ProbeRequest = Extract<ComputeRequest, { kind: 'probe' }>;

/**
 * The compute request whose result is an exercise's truth: the very request
 * the occlusion view makes, so the server's reveal and every browser share one
 * cached result.
 */
export function truthRequest(task: OcclusionTask): OcclusionRequest;
export function truthRequest(task: ProbeTask): ProbeRequest;
export function truthRequest(task: ExerciseTask): OcclusionRequest | ProbeRequest;
export function truthRequest(task: ExerciseTask): OcclusionRequest | ProbeRequest {
  const { modelId, imageId, patch, fill, classIndex } = task;
  return task.kind === 'occlusion'
    ? { kind: 'occlusion', modelId, imageId, patch, stride: task.stride, fill, classIndex }
    : { kind: 'probe', modelId, imageId, patch, fill, classIndex, y: task.y, x: task.x };
}
