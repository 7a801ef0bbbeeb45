'use client';

import type { ExerciseTask } from '@/lib/protocol/exercise';
import { useComputed } from '../compute/use-computed';

/**
 * The class an exercise watches and its probability on the clean image: the
 * task's class, or the model's top prediction when the task leaves it open.
 */
export function useTarget(task: ExerciseTask, labels: readonly string[]) {
  const prediction = useComputed({ kind: 'predict', modelId: task.modelId, imageId: task.imageId });
  const result = prediction?.result;
  const index = task.classIndex ?? result?.top[0]?.index ?? null;
  const label = index === null ? 'its top class' : (labels[index] ?? `class ${index}`);
  const cleanProb = index !== null && result ? (result.probs[index] ?? null) : null;
  return { label, cleanProb };
}
