import type { MessagePort } from 'node:worker_threads';
import type { RunOptions } from '../../lib/compute/run';
import { clientMessage } from '../client-message';
import type { JobFailure, PoolRequest, WorkerMessage, WorkerReply } from './worker-messages';

/** Computes one request inside a worker thread: the result encoded, and the backend that computed it. */
export type JobRunner = (
  request: PoolRequest,
  options: RunOptions,
) => Promise<{ result: unknown; backend: string }>;

class Stopped extends Error {
  constructor(readonly code: 'cancelled' | 'compute-timeout') {
    super(code);
  }
}

/**
 * A worker thread's side of the pool: one job at a time (the pool sends the next
 * only after this one answers). A job stops at its next batch when the pool
 * writes its id into the shared cancel cell or its time budget runs out: both are
 * checked between batches, since a wasm computation keeps the thread's event loop
 * busy and a message would wait until the end.
 */
export function serveJobs(port: MessagePort, cancel: Int32Array, runner: JobRunner): void {
  port.on('message', async ({ id, request, budgetMs }: WorkerMessage) => {
    const reply = (message: WorkerReply) => port.postMessage(message);
    const controller = new AbortController();
    const started = performance.now();
    const check = () => {
      if (controller.signal.aborted) return;
      if (Atomics.load(cancel, 0) === id) controller.abort(new Stopped('cancelled'));
      else if (performance.now() - started > budgetMs) controller.abort(new Stopped('compute-timeout'));
    };
    try {
      const { result, backend } = await runner(request, {
        // Nothing more is sent once the job is stopped: nobody waits for it.
        onProgress: (progress) => {
          check();
          if (!controller.signal.aborted) reply({ id, type: 'progress', progress });
        },
        onPartial: (partial) => {
          check();
          if (!controller.signal.aborted) reply({ id, type: 'partial', partial });
        },
        signal: controller.signal,
      });
      reply({ id, type: 'done', result, backend, ms: performance.now() - started });
    } catch (error) {
      const reason = controller.signal.reason;
      const fatal = !(reason instanceof Stopped) && isFatal(error);
      const code: JobFailure =
        reason instanceof Stopped ? reason.code : fatal ? 'compute-failed' : 'bad-request';
      reply({ id, type: 'error', code, message: failureMessage(code, error, budgetMs), fatal });
    }
  });
}

/**
 * Errors after which a worker cannot be trusted: a WebAssembly trap ("memory access
 * out of bounds", "unreachable"), a failed allocation, an aborted wasm module.
 */
export function isFatal(error: unknown): boolean {
  if (error instanceof WebAssembly.RuntimeError) return true;
  const message = error instanceof Error ? error.message : String(error);
  return /out of bounds|out of memory|allocation failed|Aborted\(|\bOOM\b|RuntimeError/i.test(message);
}

function failureMessage(code: JobFailure, error: unknown, budgetMs: number): string {
  switch (code) {
    case 'cancelled':
      return 'nobody waits for this result any more';
    case 'compute-timeout':
      return `stopped after its time budget of ${Math.round(budgetMs / 1000)} s`;
    case 'compute-failed':
      return 'the compute worker failed (out of memory or a WebAssembly trap) and was replaced';
    case 'bad-request':
      return clientMessage(error);
  }
}
