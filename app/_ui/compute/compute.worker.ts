// The browser's compute thread: the same runCompute as the server's workers, on the fastest tfjs backend
// this browser has for the model, measured (software WebGL can be ten times slower than wasm).
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import type { ComputeEnv } from '@/lib/compute/run';
import { runCompute } from '@/lib/compute/run';
import { loadModel } from '@/lib/models/load';
import type { Tensor } from '@/lib/tf';
import { createBrowserComputeEnv } from './browser-env';
import {
  type BackendTimings,
  type BrowserBackend,
  type FromWorker,
  MEASURED_BACKENDS,
  type ToWorker,
} from './worker-protocol';

const post = (message: FromWorker) => (self as unknown as Worker).postMessage(message);
let env: ComputeEnv | null = null;
const running = new Map<number, AbortController>();

/**
 * One forward pass of the model on this backend, in milliseconds, after a first pass that compiles
 * shaders and sets up kernels; null when the backend does not start here.
 */
async function timePass(origin: string, modelId: string, backend: BrowserBackend): Promise<number | null> {
  if (!(await tf.setBackend(backend).catch(() => false))) return null;
  await tf.ready();
  const loaded = await loadModel(tf, `${origin}/api/models/${encodeURIComponent(modelId)}/manifest.json`);
  try {
    const { height, width, channels } = loaded.manifest.inputSize;
    const pass = async () => {
      const output = tf.tidy(() => loaded.model.predict(tf.zeros([1, height, width, channels])) as Tensor);
      await output.data();
      output.dispose();
    };
    await pass();
    const started = performance.now();
    await pass();
    return performance.now() - started;
  } finally {
    loaded.dispose();
  }
}

/** The candidates, fastest first (those that did not start left out); the rest in their order after. */
async function measure(origin: string, modelId: string, backends: BrowserBackend[]) {
  const timings: BackendTimings = {};
  for (const backend of backends.filter((b) => MEASURED_BACKENDS.includes(b))) {
    const ms = await timePass(origin, modelId, backend).catch(() => null);
    if (ms !== null) timings[backend] = ms;
  }
  const measured = (Object.keys(timings) as BrowserBackend[]).sort((a, b) => timings[a]! - timings[b]!);
  const rest = backends.filter((b) => !MEASURED_BACKENDS.includes(b));
  return { order: [...measured, ...rest], timings };
}

async function init(origin: string, backends: BrowserBackend[], toMeasure?: { modelId: string }) {
  setWasmPaths(`${origin}/vendor/tfjs-wasm/`);
  const { order, timings } = toMeasure
    ? await measure(origin, toMeasure.modelId, backends)
    : { order: backends, timings: undefined };
  for (const backend of order) {
    try {
      if (await tf.setBackend(backend)) {
        await tf.ready();
        env = createBrowserComputeEnv(tf, origin);
        post({ type: 'ready', backend, timings });
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
  if (message.type === 'init') void init(message.origin, message.backends, message.measure);
  else if (message.type === 'run') void run(message.id, message.request);
  else running.get(message.id)?.abort();
};
