// A worker thread of the compute pool: its own tfjs backend, models and images.
import { parentPort } from 'node:worker_threads';
import { encodeResult } from '../../lib/compute/codec';
import { runCompute } from '../../lib/compute/run';
import { ImageCatalog } from '../catalog/images';
import { initComputeBackend, tf } from './backend';
import { createServerComputeEnv } from './env';
import type { WorkerMessage, WorkerReply } from './worker-messages';

const port = parentPort;
if (!port) throw new Error('compute-worker runs only as a worker thread');

const ready = (async () => {
  const backend = await initComputeBackend();
  const env = createServerComputeEnv(tf, await ImageCatalog.discover());
  return { backend, env };
})();

// One job at a time: the pool sends the next only after this one answers.
port.on('message', async ({ id, request }: WorkerMessage) => {
  const reply = (message: WorkerReply) => port.postMessage(message);
  try {
    const { backend, env } = await ready;
    const started = performance.now();
    const result = await runCompute(env, request, {
      onProgress: (progress) => reply({ id, type: 'progress', progress }),
      onPartial: (partial) => reply({ id, type: 'partial', partial: encodeResult(partial) }),
    });
    reply({ id, type: 'done', result: encodeResult(result), backend, ms: performance.now() - started });
  } catch (error) {
    reply({ id, type: 'error', message: error instanceof Error ? error.message : String(error) });
  }
});
