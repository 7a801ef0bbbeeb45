// A top-activating pass that runs out of time while the atlas of its model and set is being built (both
// started by the model's first use, sharing the machine) is answered by the atlas once it is stored.
import { describe, expect, it } from 'vitest';
import type { ComputeRequest, EncodedComputeResult } from '@/lib/protocol/compute';
import type { AtlasService } from '@/server/compute/atlas-service';
import { ComputeError } from '@/server/compute/errors';
import { ComputeService } from '@/server/compute/service';
import type { JobQueue } from '@/server/compute/worker-pool';

const request: ComputeRequest = {
  kind: 'top-activating',
  modelId: 'mobilenet-v1-0.75',
  imageSetId: 'imagenet-sample-images',
  layer: 'conv_pw_11_relu',
  channels: [7],
  k: 9,
};

const fromAtlas = { result: { meta: {} } as unknown as EncodedComputeResult, backend: 'wasm', ms: 2 };

/** A pool whose every job runs out of time. */
const timingOut: JobQueue = {
  pending: 0,
  submit: () => ({
    promise: Promise.reject(new ComputeError('compute-timeout', 'stopped after its time budget of 120 s')),
    setPriority: () => {},
  }),
};

function atlas(stored: boolean | null): AtlasService {
  let built = false;
  return {
    use: () => {},
    onProgress: () => () => {},
    onReady: () => () => {},
    building: () =>
      stored === null
        ? null
        : new Promise<boolean>((resolve) =>
            setTimeout(() => {
              built = stored;
              resolve(stored);
            }, 20),
          ),
    answer: async () => (built ? fromAtlas : null),
  } as unknown as AtlasService;
}

const OPTIONS = { enabled: true, maxPending: 8, cacheBytes: 2 ** 20 };

describe('top-activating while the atlas is built', () => {
  it('answers from the atlas a pass that ran out of time', async () => {
    const service = new ComputeService(timingOut, { ...OPTIONS, atlas: atlas(true) });
    const answer = await service.request(request, { id: 'student', room: 'r' });
    expect(answer).toMatchObject({ status: 'done', result: fromAtlas.result, origin: { where: 'server' } });
  });

  it('fails as before when no atlas is being built, or the build fails', async () => {
    for (const stored of [null, false]) {
      const service = new ComputeService(timingOut, { ...OPTIONS, atlas: atlas(stored) });
      await expect(service.request(request, { id: 'student', room: 'r' })).rejects.toMatchObject({
        code: 'compute-timeout',
      });
    }
  });
});
