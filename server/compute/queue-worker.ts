import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { ComputeRequest, EncodedComputeResult } from '../../lib/protocol/compute';
import type { Logger } from '../log';
import { ComputeError } from './errors';
import { encodeFailure, queueNames } from './queue-names';
import type { ResultStore } from './result-store';
import type { WorkerPool } from './worker-pool';

export interface QueueWorkerOptions {
  redisUrl: string;
  store: ResultStore;
  /** The same runner as the in-process default: worker threads, one job each. */
  pool: WorkerPool;
  prefix?: string;
  /** How long a job's lock lasts without renewal: a SIGKILLed worker's job is taken over after it. */
  lockDurationMs?: number;
  /** How often this worker looks for stalled jobs of dead workers. */
  stalledIntervalMs?: number;
  log: Logger;
}

/**
 * A compute worker process (`npm run worker`): takes jobs from the deployment's BullMQ
 * queue, one per thread of its pool, stores each result in the shared database before
 * completing the job, and stops a job at its next batch when no server waits for it.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<{ close(): Promise<void> }> {
  const names = queueNames(options.prefix);
  const running = new Map<string, AbortController>();
  const subscriber = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  await subscriber.subscribe(names.cancelChannel);
  subscriber.on('message', (_channel, key: string) => running.get(key)?.abort());

  const process = async (job: Job<{ request: ComputeRequest }>) => {
    const key = job.id as string;
    // A result already stored (a retry after this job completed elsewhere) is never computed again.
    if (await options.store.get(key).catch(() => null)) return { stored: true };
    const controller = new AbortController();
    running.set(key, controller);
    try {
      const { request } = job.data;
      const outcome = await options.pool.run(request, {
        signal: controller.signal,
        onState: (state) => void job.updateProgress(state).catch(() => undefined),
      });
      await options.store.put(key, request.kind, {
        result: outcome.result as EncodedComputeResult,
        backend: outcome.backend,
        ms: outcome.ms,
      });
      options.log.info({ key, ms: Math.round(outcome.ms) }, 'computed');
      return { backend: outcome.backend, ms: outcome.ms };
    } catch (error) {
      const code = error instanceof ComputeError ? error.code : 'compute-failed';
      throw new Error(encodeFailure(code, (error as Error).message));
    } finally {
      running.delete(key);
    }
  };

  const worker = new Worker(names.queue, process, {
    connection: new Redis(options.redisUrl, { maxRetriesPerRequest: null }),
    prefix: names.bullPrefix,
    concurrency: options.pool.size,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    name: `worker-${globalThis.process.pid}`,
  });
  worker.on('error', (error) => options.log.warn({ err: error }, 'compute queue'));
  await worker.waitUntilReady();
  return {
    async close() {
      await worker.close();
      subscriber.disconnect();
    },
  };
}
