// Compute requests and outcomes the compute tests share, on the built-in digits model (28×28, no packs).
import type { ComputeRequest } from '@/lib/protocol/compute';
import { ComputeError } from '@/server/compute/errors';

/** 27×27 = 729 positions in 46 batches: long enough to interrupt, more than the coarse map's 64 cells. */
export function longOcclusion(classIndex: number): ComputeRequest {
  return {
    kind: 'occlusion',
    modelId: 'mnist-cnn',
    imageId: 'mnist/000-4.png',
    patch: 2,
    stride: 1,
    fill: 'grey',
    classIndex,
  };
}

/** The ComputeError a promise rejects with; fails the test when it resolves or rejects with anything else. */
export async function failure(promise: Promise<unknown>): Promise<ComputeError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof ComputeError)) throw new Error(`expected a ComputeError, got ${String(error)}`);
  return error;
}
