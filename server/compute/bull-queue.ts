import { randomUUID } from 'node:crypto';
import { type Job, Queue, QueueEvents } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  COMPUTE_ERROR_CODES,
  COMPUTE_PRIORITIES,
  type ComputeFailureCode,
  type ComputeJobState,
  type ComputeRequest,
  resultKey,
} from '../../lib/protocol/compute';
import { ComputeError } from './errors';
import { queueNames } from './queue-names';
import type { ResultStore } from './result-store';
import type { JobOutcome, JobQueue, PoolJob, SubmitOptions } from './worker-pool';

interface Waiting {
  options: SubmitOptions;
  resolve: (outcome: JobOutcome) => void;
  reject: (error: Error) => void;
}

/**
 * Compute on separate worker processes (`npm run worker`) through a BullMQ queue on
 * the deployment's Redis. The job id is the result key: servers asking for the same
 * result share one job. Workers store results in the shared database; this server
 * reads the result from there when BullMQ reports the job completed, so a result is
 * delivered once however often a stalled job was retried.
 */
export class BullComputeQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly names: ReturnType<typeof queueNames>;
  private readonly waiting = new Map<string, Set<Waiting>>();
  private readonly serverId = randomUUID();
  private readonly ready: Promise<unknown>;

  constructor(
    private readonly redis: Redis,
    private readonly store: ResultStore,
    prefix?: string,
  ) {
    this.names = queueNames(prefix);
    this.queue = new Queue(this.names.queue, {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: this.names.bullPrefix,
    });
    this.events = new QueueEvents(this.names.queue, {
      connection: redis.duplicate({ maxRetriesPerRequest: null }),
      prefix: this.names.bullPrefix,
    });
    this.events.on('completed', ({ jobId }) => void this.completed(jobId));
    this.events.on('failed', ({ jobId, failedReason }) => this.failed(jobId, failedReason));
    this.events.on('progress', ({ jobId, data }) => {
      for (const w of this.waiting.get(jobId) ?? []) w.options.onState?.(data as ComputeJobState);
    });
    this.ready = this.events.waitUntilReady();
  }

  /** Jobs this server waits for. */
  get pending(): number {
    return this.waiting.size;
  }

  submit(request: ComputeRequest, options: SubmitOptions = {}): PoolJob {
    const key = resultKey(request);
    const rank = COMPUTE_PRIORITIES.indexOf(options.priority ?? 'explore');
    const promise = new Promise<JobOutcome>((resolve, reject) => {
      const entry: Waiting = { options, resolve, reject };
      const set = this.waiting.get(key) ?? new Set();
      set.add(entry);
      this.waiting.set(key, set);
      options.signal?.addEventListener('abort', () => void this.abandon(key, entry), { once: true });
      this.enqueue(key, request, rank).catch((error: Error) => this.settle(key, (w) => w.reject(error)));
    });
    return { promise, setPriority: () => undefined };
  }

  async close(): Promise<void> {
    await Promise.all([this.events.close(), this.queue.close()]);
  }

  private async enqueue(key: string, request: ComputeRequest, rank: number): Promise<void> {
    await this.ready;
    await this.redis.sadd(this.names.waitersKey(key), this.serverId);
    await this.redis.expire(this.names.waitersKey(key), 3600);
    const waitingCount = await this.queue.getWaitingCount().catch(() => 0);
    // BullMQ: 1 is the highest priority; a job with this id already queued or running is shared.
    const job: Job = await this.queue.add(
      'compute',
      { request },
      { jobId: key, priority: rank + 1, removeOnComplete: true, removeOnFail: true },
    );
    for (const w of this.waiting.get(key) ?? [])
      w.options.onState?.({ state: 'queued', ahead: waitingCount });
    // Completed before this server listened (or by another server's request): the result is stored.
    if ((await job.getState()) === 'completed' || (await this.store.get(key))) await this.completed(key);
  }

  private async completed(key: string): Promise<void> {
    if (!this.waiting.has(key)) return;
    const stored = await this.store.get(key).catch(() => null);
    if (!stored) {
      this.failed(key, 'compute-failed|the worker finished but its result was not stored');
      return;
    }
    this.settle(key, (w) => w.resolve({ result: stored.result, backend: stored.backend, ms: stored.ms }));
  }

  private failed(key: string, reason: string): void {
    const [code, ...rest] = reason.split('|');
    const known = (COMPUTE_ERROR_CODES as readonly string[]).includes(code) || code === 'bad-request';
    const error = known
      ? new ComputeError(code as ComputeFailureCode, rest.join('|'))
      : new ComputeError('compute-failed', reason);
    this.settle(key, (w) => w.reject(error));
  }

  private settle(key: string, each: (w: Waiting) => void): void {
    const set = this.waiting.get(key);
    if (!set) return;
    this.waiting.delete(key);
    for (const w of set) each(w);
    void this.redis.srem(this.names.waitersKey(key), this.serverId).catch(() => undefined);
  }

  /** This server no longer waits; when no server does, the job leaves the queue or stops at its next batch. */
  private async abandon(key: string, entry: Waiting): Promise<void> {
    const set = this.waiting.get(key);
    if (!set?.delete(entry)) return;
    entry.reject(new ComputeError('cancelled', 'nobody waits for this result any more'));
    if (set.size > 0) return;
    this.waiting.delete(key);
    await this.redis.srem(this.names.waitersKey(key), this.serverId);
    if ((await this.redis.scard(this.names.waitersKey(key))) > 0) return;
    const job = await this.queue.getJob(key);
    const state = await job?.getState();
    if (job && (state === 'waiting' || state === 'prioritized' || state === 'delayed')) {
      await job.remove().catch(() => undefined);
    }
    await this.redis.publish(this.names.cancelChannel, key);
  }
}
