import { encodeResult } from '../../lib/compute/codec';
import { runCompute } from '../../lib/compute/run';
import { ImageCatalog } from '../catalog/images';
import { backendLabel, initComputeBackend, tf } from './backend';
import { createServerComputeEnv } from './env';
import type { JobRunner } from './job-loop';

/** The one runner of server compute: lib/compute/run.ts on this thread's backend, results encoded. */
export function createWorkerRunner(): JobRunner {
  const ready = (async () => {
    const backend = backendLabel(await initComputeBackend());
    const env = createServerComputeEnv(tf, await ImageCatalog.discover());
    return { backend, env };
  })();
  return async (request, options) => {
    const { backend, env } = await ready;
    const result = await runCompute(env, request, {
      ...options,
      onPartial: options.onPartial && ((partial) => options.onPartial?.(encodeResult(partial))),
    });
    return { result: encodeResult(result), backend };
  };
}
