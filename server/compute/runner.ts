import { encodeResult } from '../../lib/compute/codec';
import { runCompute } from '../../lib/compute/run';
import { ImageCatalog } from '../catalog/images';
import { runAtlasStep } from './atlas-step';
import { backendLabel, initComputeBackend, tf } from './backend';
import { createServerComputeEnv } from './env';
import type { JobRunner } from './job-loop';

/** The one runner of server compute: lib/compute/run.ts on this thread's backend, results encoded. */
export function createWorkerRunner(): JobRunner {
  const ready = (async () => {
    const backend = backendLabel(await initComputeBackend());
    const images = await ImageCatalog.discover();
    return { backend, env: createServerComputeEnv(tf, images), images };
  })();
  return async (request, options) => {
    const { backend, env, images } = await ready;
    if (request.kind === 'atlas-step') {
      return { result: encodeResult(await runAtlasStep(env, images, request, options)), backend };
    }
    const result = await runCompute(env, request, {
      ...options,
      onPartial: options.onPartial && ((partial) => options.onPartial?.(encodeResult(partial))),
    });
    return { result: encodeResult(result), backend };
  };
}
