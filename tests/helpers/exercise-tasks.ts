// Exercise tasks the tests share: the built-in digits CNN (28×28) with the session's default occlusion.
import type { OcclusionTask } from '@/lib/protocol/exercise';
import { fitOcclusion } from '@/lib/protocol/occlusion-grid';

const MNIST_INPUT = { height: 28, width: 28 };

/** Patch 8, stride 4: a 6×6 grid on mnist-cnn; rows and cols follow any patch or stride given. */
export function occlusionTask(overrides: Partial<Omit<OcclusionTask, 'rows' | 'cols'>> = {}): OcclusionTask {
  const base = {
    kind: 'occlusion' as const,
    modelId: 'mnist-cnn',
    imageId: 'mnist/7.png',
    patch: 8,
    stride: 4,
    fill: 'grey' as const,
    classIndex: null,
    topN: 5,
    ...overrides,
  };
  const { rows, cols } = fitOcclusion(base, MNIST_INPUT);
  return { ...base, rows, cols };
}
