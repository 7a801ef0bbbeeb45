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
import { decodePartial, queueNames, redisNow, WORKER_SILENT_MS } from './queue-names';
import type { ResultStore } from './result-store';
import type { JobOutcome, JobQueue, PoolJob, SubmitOptions } from './worker-pool';

interface Waiting {
  options: SubmitOptions;
  resolve: (outcome: JobOutcome) => void;
  reject: (error: Error) => void;
}

/** One job this server waits for, and what its waiters last heard. */
interface Tracked {
  waiting: Set<Waiting>;
  /** BullMQ priority wanted (1 is the highest): promoted when a better waiter comes. */
  priority: number;
  /** Jobs ahead of it when last told; null once it runs. */
  ahead: number | null;
}

export interface BullQueueOptions {
  /** Redis key prefix of the queue (the server's Redis stream name). */
  prefix?: string;
  /** How often queued jobs' places are re-read (and the workers' presence checked). */
  pollMs?: number;
  /** Queued jobs fail with a clear reason once no compute worker has been seen for this long. */
  noWorkerGraceMs?: number;
}

const NO_WORKER = 'no compute worker is running (start one with `npm run worker`)';

/**
 * Compute on worker processes (`npm run worker`, or the one embedded in each server)
 * through a BullMQ queue on the deployment's Redis. The job id is the result key:
 * servers asking for the same result share one job. Workers store results in the
 * shared database; this server reads the result from there when BullMQ reports the
 * job completed, so a result is delivered once however often a stalled job was
 * retried. As in the in-process pool: the shared view goes first (a queued job is
 * promoted when the shared view starts needing it), waiters hear the jobs ahead,
 * then done/total/eta and the coarse partials, and a job nobody waits for leaves the
 * queue or stops at its next batch.
 */
export class BullComputeQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  private readonly subscriber: Redis;
  private readonly names: ReturnType<typeof queueNames>;
  private readonly tracked = new Map<string, Tracked>();
  private readonly serverId = randomUUID();
  private readonly ready: Promise<unknown>;
  private readonly poller: ReturnType<typeof setInterval>;
  private readonly noWorkerGraceMs: number;
  private workersSeen: { at: number; count: number } = { at: 0, count: 0 };
  private lastWorkerAt = Date.now();

  constructor(
    private readonly redis: Redis,
    private readonly store: ResultStore,
    options: BullQueueOptions = {},
  ) {
    this.names = queueNames(options.prefix);
    this.noWorkerGraceMs = options.noWorkerGraceMs ?? 30_000;
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
    this.events.on('progress', ({ jobId, data }) => this.progress(jobId, data as ComputeJobState));
    // A dead worker's job is back in the queue: its waiters hear their place again.
    this.events.on('stalled', ({ jobId }) => {
      const tracked = this.tracked.get(jobId);
      if (tracked) tracked.ahead = -1;
    });
    this.subscriber = redis.duplicate();
    this.subscriber.on('error', () => undefined);
    const subscribed = this.subscriber.subscribe(this.names.partialChannel);
    this.subscriber.on('message', (_channel, message: string) => this.partial(message));
    this.ready = Promise.all([this.events.waitUntilReady(), subscribed]);
    this.poller = setInterval(() => void this.poll().catch(() => undefined), options.pollMs ?? 1000);
    this.poller.unref();
  }

  /** Jobs this server waits for. */
  get pending(): number {
    return this.tracked.size;
  }

  /** Why a new job cannot be queued now (no compute worker alive), or null. */
  async unavailable(): Promise<string | null> {
    return (await this.liveWorkers()) > 0 ? null : NO_WORKER;
  }

  submit(request: ComputeRequest, options: SubmitOptions = {}): PoolJob {
    const key = resultKey(request);
    const priority = bullPriority(options.priority);
    const promise = new Promise<JobOutcome>((resolve, reject) => {
      const entry: Waiting = { options, resolve, reject };
      const tracked = this.tracked.get(key) ?? { waiting: new Set(), priority, ahead: -1 };
      tracked.waiting.add(entry);
      tracked.priority = Math.min(tracked.priority, priority);
      this.tracked.set(key, tracked);
      options.signal?.addEventListener('abort', () => void this.abandon(key, entry), { once: true });
      this.enqueue(key, request).catch((error: Error) => this.settle(key, (w) => w.reject(error)));
    });
    return {
      promise,
      setPriority: (wanted) => {
        const tracked = this.tracked.get(key);
        if (!tracked || bullPriority(wanted) >= tracked.priority) return;
        tracked.priority = bullPriority(wanted);
        void this.promote(key).catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    clearInterval(this.poller);
    this.subscriber.disconnect();
    await Promise.all([this.events.close(), this.queue.close()]);
  }

  private async enqueue(key: string, request: ComputeRequest): Promise<void> {
    await this.ready;
    await this.redis
      .multi()
      .sadd(this.names.waitersKey(key), this.serverId)
      .expire(this.names.waitersKey(key), 3600)
      .exec();
    const tracked = this.tracked.get(key);
    if (!tracked) return;
    // A job with this id already queued or running (another server asked first) is shared, not added again.
    const job: Job = await this.queue.add(
      'compute',
      { request },
      { jobId: key, priority: tracked.priority, removeOnComplete: true, removeOnFail: true },
    );
    if (job.priority > tracked.priority) await this.promote(key);
    await this.announcePlaces([key]);
    // Completed before this server listened (or by another server's request): the result is stored.
    if ((await job.getState()) === 'completed' || (await this.store.get(key))) await this.completed(key);
  }

  /** Moves a queued job up to the best priority any waiter of this server wants. */
  private async promote(key: string): Promise<void> {
    const tracked = this.tracked.get(key);
    const job = await this.queue.getJob(key);
    if (!tracked || !job || job.priority <= tracked.priority) return;
    const state = await job.getState();
    if (state === 'prioritized' || state === 'waiting')
      await job.changePriority({ priority: tracked.priority });
  }

  /** Tells each queued job's waiters how many jobs are ahead (as the in-process pool does when the queue moves). */
  private async announcePlaces(keys: string[]): Promise<void> {
    const queued = keys.filter((key) => this.tracked.get(key)?.ahead !== null);
    if (queued.length === 0) return;
    const batch = this.redis.multi().llen(this.queue.keys.wait);
    for (const key of queued) batch.zrank(this.queue.keys.prioritized, key);
    const replies = (await batch.exec()) ?? [];
    const unprioritized = Number(replies[0]?.[1] ?? 0);
    queued.forEach((key, i) => {
      const rank = replies[i + 1]?.[1];
      const tracked = this.tracked.get(key);
      if (!tracked || typeof rank !== 'number') return;
      const ahead = unprioritized + rank;
      if (tracked.ahead === ahead) return;
      tracked.ahead = ahead;
      for (const w of tracked.waiting) w.options.onState?.({ state: 'queued', ahead });
    });
  }

  private async poll(): Promise<void> {
    if (this.tracked.size === 0) return;
    await this.announcePlaces([...this.tracked.keys()]);
    if ((await this.liveWorkers()) > 0) {
      this.lastWorkerAt = Date.now();
      return;
    }
    if (Date.now() - this.lastWorkerAt < this.noWorkerGraceMs) return;
    // Nobody will compute what waits: say so rather than leave viewers waiting in silence.
    for (const [key, tracked] of [...this.tracked]) {
      if (tracked.ahead === null) continue;
      this.settle(key, (w) => w.reject(new ComputeError('compute-failed', NO_WORKER)));
      await this.leave(key);
    }
  }

  /** Compute workers with a recent heartbeat (re-read at most once a second). */
  async liveWorkers(): Promise<number> {
    if (Date.now() - this.workersSeen.at < 1000) return this.workersSeen.count;
    const now = await redisNow(this.redis);
    const count = await this.redis.zcount(this.names.workersKey, now - WORKER_SILENT_MS, '+inf');
    this.workersSeen = { at: Date.now(), count };
    if (count > 0) this.lastWorkerAt = Date.now();
    return count;
  }

  private progress(key: string, state: ComputeJobState): void {
    const tracked = this.tracked.get(key);
    if (!tracked || !state || typeof state !== 'object') return;
    if (state.state === 'running') tracked.ahead = null;
    for (const w of tracked.waiting) w.options.onState?.(state);
  }

  private partial(message: string): void {
    let decoded: ReturnType<typeof decodePartial>;
    try {
      decoded = decodePartial(message);
    } catch {
      return;
    }
    // One decoded object for all this server's waiters (the socket layer sends a room's preview once).
    for (const w of this.tracked.get(decoded.key)?.waiting ?? []) w.options.onPartial?.(decoded.partial);
  }

  private async completed(key: string): Promise<void> {
    if (!this.tracked.has(key)) return;
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
    const tracked = this.tracked.get(key);
    if (!tracked) return;
    this.tracked.delete(key);
    for (const w of tracked.waiting) each(w);
    void this.redis.srem(this.names.waitersKey(key), this.serverId).catch(() => undefined);
  }

  /** This server no longer waits; when no server does, the job leaves the queue or stops at its next batch. */
  private async abandon(key: string, entry: Waiting): Promise<void> {
    const tracked = this.tracked.get(key);
    if (!tracked?.waiting.delete(entry)) return;
    entry.reject(new ComputeError('cancelled', 'nobody waits for this result any more'));
    if (tracked.waiting.size > 0) return;
    this.tracked.delete(key);
    await this.leave(key);
  }

  private async leave(key: string): Promise<void> {
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

/** BullMQ: 1 is the highest priority. */
function bullPriority(priority: SubmitOptions['priority']): number {
  return COMPUTE_PRIORITIES.indexOf(priority ?? 'explore') + 1;
}
