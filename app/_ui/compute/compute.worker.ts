// The browser's compute thread: the same runCompute as the server's workers,
// on the best tfjs backend this browser has (webgpu, webgl, wasm, cpu).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ComputeEnv } from '@/lib/compute/run';
import { runCompute } from '@/lib/compute/run';
import { createBrowserComputeEnv } from './browser-env';
import type { BrowserBackend, FromWorker, ToWorker } from './worker-protocol';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);
let env: ComputeEnv | null = null;
const running = new Map<number, AbortController>();

async function init(origin: string, backends: BrowserBackend[]): Promise<void> {
  setWasmPaths(`${origin}/vendor/tfjs-wasm/`);
  for (const backend of backends) {
    try {
      if (await tf.setBackend(backend)) {
        await tf.ready();
        env = createBrowserComputeEnv(tf, origin);
        post({ type: 'ready', backend });
        return;
      }
    } catch {
      // Not available here: try the next one.
    }
  }
  post({ type: 'init-failed', message: `none of ${backends.join(', ')} could start` });
}

async function run(id: number, request: Extract<ToWorker, { type: 'run' }>['request']): Promise<void> {
  if (!env) {
    post({ type: 'error', id, message: 'the compute worker has no backend' });
    return;
  }
  const controller = new AbortController();
  running.set(id, controller);
  const started = performance.now();
  try {
    const result = await runCompute(env, request, {
      signal: controller.signal,
      onProgress: (progress) => post({ type: 'progress', id, progress }),
      onPartial: (partial) => post({ type: 'partial', id, partial }),
    });
    post({ type: 'done', id, result, ms: performance.now() - started });
  } catch (error) {
    post({ type: 'error', id, message: error instanceof Error ? error.message : String(error) });
  } finally {
    running.delete(id);
  }
}

self.onmessage = (event: MessageEvent<ToWorker>) => {
  const message = event.data;
  if (message.type === 'init') void init(message.origin, message.backends);
  else if (message.type === 'run') void run(message.id, message.request);
  else running.get(message.id)?.abort();
};
