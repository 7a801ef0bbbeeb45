import { hostname } from 'node:os';
import { type Job, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { EncodedResult } from '../../lib/compute/codec';
import type { ComputeRequest, EncodedComputeResult } from '../../lib/protocol/compute';
import type { Logger } from '../log';
import { ComputeError } from './errors';
import {
  encodeFailure,
  encodePartial,
  queueNames,
  redisNow,
  WORKER_HEARTBEAT_MS,
  WORKER_SILENT_MS,
} from './queue-names';
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
  /** Names this worker in BullMQ (job.processedBy) and in its heartbeat. */
  name?: string;
  log: Logger;
}

export interface QueueWorker {
  readonly name: string;
  /** Waits for running jobs to finish, or with `force` leaves them to another worker (after their lock expires). */
  close(force?: boolean): Promise<void>;
}

/**
 * A compute worker (`npm run worker`, or embedded in a socket server): takes jobs from
 * the deployment's BullMQ queue, one per thread of its pool, highest priority first;
 * relays each job's progress and coarse partials to the servers; stores each result in
 * the shared database before completing the job; stops a job at its next batch when no
 * server waits for it any more; and keeps a heartbeat so that servers know a worker is there.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  const names = queueNames(options.prefix);
  const name = options.name ?? `worker-${hostname()}-${process.pid}`;
  const running = new Map<string, AbortController>();
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
  redis.on('error', (error) => options.log.warn({ err: error }, 'compute worker: Redis'));
  const subscriber = redis.duplicate();
  await subscriber.subscribe(names.cancelChannel);
  subscriber.on('message', (_channel, key: string) => void cancelIfAbandoned(key));

  // A cancel races with another server starting to wait for the same key: stop only if nobody waits.
  async function cancelIfAbandoned(key: string): Promise<void> {
    const controller = running.get(key);
    if (!controller) return;
    if ((await redis.scard(names.waitersKey(key)).catch(() => 0)) > 0) return;
    controller.abort();
  }

  const heartbeat = async () => {
    const now = await redisNow(redis);
    await redis
      .multi()
      .zadd(names.workersKey, now, name)
      .zremrangebyscore(names.workersKey, '-inf', now - WORKER_SILENT_MS * 6)
      .exec();
  };
  await heartbeat();
  const beating = setInterval(() => void heartbeat().catch(() => undefined), WORKER_HEARTBEAT_MS);
  beating.unref();

  const processJob = async (job: Job<{ request: ComputeRequest }>) => {
    const key = job.id as string;
    // Time in the queue, from its enqueueing to this worker taking it: for the load benchmark and operators.
    const waitedMs = (job.processedOn ?? Date.now()) - job.timestamp;
    // A result already stored (a retry after this job completed elsewhere) is never computed again.
    if (await options.store.get(key).catch(() => null)) return { stored: true };
    // Servers register before they queue a job, so none left means every waiter went away (e.g. while the
    // job waited for a dead worker's lock to expire, when no worker could hear the cancel).
    if ((await redis.scard(names.waitersKey(key))) === 0) {
      options.log.info({ key, waitedMs, worker: name }, 'cancelled');
      throw new Error(encodeFailure('cancelled', 'nobody waits for this result any more'));
    }
    const controller = new AbortController();
    running.set(key, controller);
    try {
      const { request } = job.data;
      const outcome = await options.pool.run(request, {
        signal: controller.signal,
        onState: (state) => void job.updateProgress(state).catch(() => undefined),
        onPartial: (partial) =>
          void redis
            .publish(names.partialChannel, encodePartial(key, partial as EncodedResult))
            .catch(() => undefined),
      });
      await options.store.put(key, request.kind, {
        result: outcome.result as EncodedComputeResult,
        backend: outcome.backend,
        ms: outcome.ms,
      });
      options.log.info({ key, ms: Math.round(outcome.ms), waitedMs, worker: name }, 'computed');
      return { backend: outcome.backend, ms: outcome.ms };
    } catch (error) {
      const code = error instanceof ComputeError ? error.code : 'compute-failed';
      if (code === 'cancelled') options.log.info({ key, waitedMs, worker: name }, 'cancelled');
      throw new Error(encodeFailure(code, (error as Error).message));
    } finally {
      running.delete(key);
    }
  };

  const worker = new Worker(names.queue, processJob, {
    connection: redis.duplicate(),
    prefix: names.bullPrefix,
    concurrency: options.pool.size,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    maxStalledCount: 2,
    name,
  });
  worker.on('error', (error) => options.log.warn({ err: error }, 'compute queue'));
  await worker.waitUntilReady();
  return {
    name,
    async close(force = false) {
      clearInterval(beating);
      await worker.close(force);
      await redis.zrem(names.workersKey, name).catch(() => undefined);
      subscriber.disconnect();
      redis.disconnect();
    },
  };
}
