import type { CostFacts } from '../../lib/compute/cost';
import { forwardPasses } from '../../lib/compute/cost';
import {
  COMPUTE_PRIORITIES,
  type ComputeAccepted,
  type ComputeJobState,
  type ComputePriority,
  type ComputeProgress,
  type ComputeRequest,
  type EncodedComputeResult,
  resultKey,
} from '../../lib/protocol/compute';
import type { AtlasService } from './atlas-service';
import { ComputeError } from './errors';
import type { JobCounts, JobOwner } from './job-counts';
import type { ResultStore } from './result-store';
import type { JobQueue, PoolJob } from './worker-pool';

export interface ComputeServiceOptions {
  /** Off: every request is answered "unavailable" and browsers compute (CONVLENS_SERVER_COMPUTE=off). */
  enabled: boolean;
  /** More distinct jobs waiting than this: "unavailable", so browsers take over instead of queueing. */
  maxPending: number;
  /** Bytes of encoded results kept in memory. */
  cacheBytes: number;
  /** Most forward passes one request may take (docs/limits.md: compute.max-forward-passes). */
  maxForwardPasses?: number;
  /** What a request's cost depends on (model input size, image set size); none: no cost check. */
  costFacts?: (request: ComputeRequest) => Promise<CostFacts>;
  /** Queued jobs per participant, address and session; none: not counted. */
  counts?: JobCounts;
  /** Activation atlases: top-activating requests are answered from them once built. */
  atlas?: AtlasService;
}

/** Someone waiting for a result. */
export interface Waiter {
  /** One per client connection (the socket id); `release` names it. */
  id: string;
  /** The session room that sees the job's state. */
  room?: string;
  priority?: ComputePriority;
  onPartial?: (partial: unknown) => void;
  /** Whose queued-job counts a new job takes from; none: an internal request, not counted. */
  owner?: JobOwner;
  /** The instructor's waits end when the shared view moves on, whatever the mode. */
  instructor?: boolean;
}

interface Waiting {
  waiter: Waiter;
  resolve: (answer: ComputeAccepted) => void;
  reject: (error: Error) => void;
}

interface Job {
  key: string;
  request: ComputeRequest;
  waiting: Map<string, Waiting>;
  /** Every room that ever waited: they all hear how it ended. */
  rooms: Set<string>;
  controller: AbortController;
  rank: number;
  poolJob?: PoolJob;
  lastPublished: number;
  /** The latest early result (a coarse occlusion map), for whoever starts waiting after it came. */
  partial?: unknown;
}

type ProgressListener = (room: string, progress: ComputeProgress) => void;

export const DEFAULT_MAX_FORWARD_PASSES = 10_000;
const PROGRESS_INTERVAL_MS = 250;

/**
 * Derived results on the server: one job per key however many ask, a memory cache
 * of recent results and the database behind it (a stored result is never
 * recomputed), bounds checked before any work starts, and a job cancelled once
 * nobody waits for it. Answers "unavailable" when off or too busy (browsers then
 * compute).
 */
export class ComputeService {
  private readonly cache = new Map<string, { result: unknown; backend: string; ms: number; bytes: number }>();
  private cachedBytes = 0;
  private readonly jobs = new Map<string, Job>();
  private readonly progressListeners = new Set<ProgressListener>();
  private anonymous = 0;

  constructor(
    private readonly pool: JobQueue | null,
    private readonly options: ComputeServiceOptions,
    private readonly store: ResultStore | null = null,
  ) {
    options.atlas?.onProgress((room, progress) => {
      for (const listener of this.progressListeners) listener(room, progress);
    });
    options.atlas?.onReady((modelId, imageSetId) => void this.answerFromAtlas(modelId, imageSetId));
  }

  get enabled(): boolean {
    return this.options.enabled && this.pool !== null;
  }

  setEnabled(enabled: boolean): void {
    this.options.enabled = enabled;
  }

  /** Every job state change, once per room that waits for the job. */
  onProgress(listener: ProgressListener): () => void {
    this.progressListeners.add(listener);
    return () => this.progressListeners.delete(listener);
  }

  /** Keys of the jobs a waiter waits for. */
  waitedBy(waiterId: string): string[] {
    return [...this.jobs.values()].filter((j) => j.waiting.has(waiterId)).map((j) => j.key);
  }

  /** A result already at hand (memory), without computing. */
  peek(key: string): unknown {
    return this.cache.get(key)?.result;
  }

  request(request: ComputeRequest, waiter?: Waiter): Promise<ComputeAccepted> {
    const key = resultKey(request);
    // The first use of a model and image set starts their atlas; the asker's room sees its progress.
    if (request.kind === 'top-activating' && this.enabled) this.options.atlas?.use(request, waiter?.room);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(cachedAnswer(key, hit));
    }
    const who = waiter ?? { id: `internal-${++this.anonymous}` };
    const existing = this.jobs.get(key);
    const job = existing ?? this.createJob(key, request, who);
    const answer = new Promise<ComputeAccepted>((resolve, reject) => {
      job.waiting.get(who.id)?.reject(cancelled());
      job.waiting.set(who.id, { waiter: who, resolve, reject });
    });
    if (who.room) job.rooms.add(who.room);
    // A student who reloads mid-job sees the coarse map the others already have.
    if (existing && job.partial !== undefined) who.onPartial?.(job.partial);
    const rank = COMPUTE_PRIORITIES.indexOf(who.priority ?? 'explore');
    if (rank < job.rank) {
      job.rank = rank;
      job.poolJob?.setPriority(COMPUTE_PRIORITIES[rank]);
    }
    if (!existing) void this.execute(job, who.owner);
    return answer;
  }

  /** This waiter no longer needs the result; a job nobody waits for stops at its next batch. */
  release(key: string, waiterId: string): void {
    const job = this.jobs.get(key);
    const waiting = job?.waiting.get(waiterId);
    if (!job || !waiting) return;
    job.waiting.delete(waiterId);
    waiting.reject(cancelled());
    if (job.waiting.size > 0) return;
    this.jobs.delete(key);
    job.controller.abort();
    this.publish(job, { state: 'cancelled' }, true);
  }

  /** Ends every wait the predicate picks (e.g. for results the shared view no longer shows). */
  releaseWhere(pick: (key: string, waiter: Waiter) => boolean): void {
    for (const job of [...this.jobs.values()])
      for (const { waiter } of [...job.waiting.values()])
        if (pick(job.key, waiter)) this.release(job.key, waiter.id);
  }

  /** A connection went away: it waits for nothing any more. */
  releaseAll(waiterId: string): void {
    for (const key of this.waitedBy(waiterId)) this.release(key, waiterId);
  }

  private createJob(key: string, request: ComputeRequest, first: Waiter): Job {
    const job: Job = {
      key,
      request,
      waiting: new Map(),
      rooms: new Set(),
      controller: new AbortController(),
      rank: COMPUTE_PRIORITIES.indexOf(first.priority ?? 'explore'),
      lastPublished: 0,
    };
    this.jobs.set(key, job);
    return job;
  }

  private async execute(job: Job, owner: JobOwner | undefined): Promise<void> {
    let releaseCounts: (() => Promise<void>) | undefined;
    try {
      const answer = await this.lookUpOrCompute(job, owner, (release) => {
        releaseCounts = release;
      });
      this.settle(job, (w) => w.resolve(answer));
    } catch (error) {
      const failure =
        error instanceof ComputeError ? error : new ComputeError('bad-request', (error as Error).message);
      if (failure.code !== 'cancelled' || !job.controller.signal.aborted) {
        this.publish(job, stateOf(failure), true);
      }
      this.settle(job, (w) => w.reject(failure));
    } finally {
      await releaseCounts?.();
    }
  }

  private settle(job: Job, each: (waiting: Waiting) => void): void {
    if (this.jobs.get(job.key) === job) this.jobs.delete(job.key);
    for (const waiting of job.waiting.values()) each(waiting);
    job.waiting.clear();
  }

  private async lookUpOrCompute(
    job: Job,
    owner: JobOwner | undefined,
    counted: (release: () => Promise<void>) => void,
  ): Promise<ComputeAccepted> {
    const { key, request } = job;
    if (request.kind === 'top-activating' && this.options.atlas) {
      const answered = await this.options.atlas.answer(request).catch(() => null);
      if (answered) return this.atlasAnswer(key, answered);
    }
    const stored = await this.store?.get(key).catch(() => null);
    if (stored) {
      this.remember(key, stored.result, stored.backend, stored.ms);
      return cachedAnswer(key, stored);
    }
    const pool = this.pool;
    if (!this.enabled || !pool)
      return { status: 'unavailable', key, reason: 'server compute is switched off' };
    if (pool.pending >= this.options.maxPending)
      return { status: 'unavailable', key, reason: 'the server is busy' };
    const unavailable = await pool.unavailable?.();
    if (unavailable) return { status: 'unavailable', key, reason: unavailable };
    await this.checkCost(request);
    if (owner && this.options.counts)
      counted(await this.options.counts.take(owner, COMPUTE_PRIORITIES[job.rank]));
    if (job.controller.signal.aborted) throw cancelled();
    job.poolJob = pool.submit(request, {
      priority: COMPUTE_PRIORITIES[job.rank],
      signal: job.controller.signal,
      onState: (state) => this.publish(job, state, state.state !== 'running' || state.done === state.total),
      onPartial: (partial) => {
        job.partial = partial;
        for (const { waiter } of job.waiting.values()) waiter.onPartial?.(partial);
      },
    });
    const { result, backend, ms } = await job.poolJob.promise.catch(async (error: unknown) => {
      const fromAtlas = await this.atlasInstead(job, error);
      if (fromAtlas) return fromAtlas;
      throw error;
    });
    this.remember(key, result, backend, ms);
    await this.store
      ?.put(key, request.kind, { result: result as EncodedComputeResult, backend, ms })
      .catch(() => undefined);
    return {
      status: 'done',
      key,
      result: result as EncodedComputeResult,
      origin: { where: 'server', backend, ms, cached: false },
    };
  }

  private atlasAnswer(
    key: string,
    answered: { result: EncodedComputeResult; backend: string; ms: number },
  ): ComputeAccepted {
    this.remember(key, answered.result, answered.backend, answered.ms);
    return {
      status: 'done',
      key,
      result: answered.result,
      origin: { where: 'server', backend: answered.backend, ms: answered.ms, cached: false },
    };
  }

  /**
   * A top-activating pass that ran out of time while the atlas of its model and set is being built (the
   * two share the machine on a model's first use): the atlas answers it once stored, rather than a failure
   * nobody would retry.
   */
  private async atlasInstead(
    job: Job,
    error: unknown,
  ): Promise<{ result: unknown; backend: string; ms: number } | null> {
    const { request } = job;
    if (request.kind !== 'top-activating' || !this.options.atlas) return null;
    if (!(error instanceof ComputeError) || error.code !== 'compute-timeout') return null;
    const building = this.options.atlas.building(request.modelId, request.imageSetId);
    if (!building || !(await building)) return null;
    // The new atlas may have answered this job already (answerFromAtlas), which stops it.
    if (job.controller.signal.aborted) throw cancelled();
    return this.options.atlas.answer(request).catch(() => null);
  }

  /** A new atlas answers the top-activating jobs still computing for its model and set: they stop. */
  private async answerFromAtlas(modelId: string, imageSetId: string): Promise<void> {
    for (const job of [...this.jobs.values()]) {
      const { request } = job;
      if (request.kind !== 'top-activating' || request.modelId !== modelId) continue;
      if (request.imageSetId !== imageSetId) continue;
      const answered = await this.options.atlas?.answer(request).catch(() => null);
      if (!answered || this.jobs.get(job.key) !== job) continue;
      const answer = this.atlasAnswer(job.key, answered);
      this.settle(job, (w) => w.resolve(answer));
      job.controller.abort();
    }
  }

  private async checkCost(request: ComputeRequest): Promise<void> {
    if (!this.options.costFacts) return;
    const limit = this.options.maxForwardPasses ?? DEFAULT_MAX_FORWARD_PASSES;
    const passes = forwardPasses(request, await this.options.costFacts(request));
    if (passes > limit) {
      throw new ComputeError(
        'too-costly',
        `${request.kind} would take ${passes.toLocaleString('en')} forward passes; the limit is ${limit.toLocaleString('en')} (use a larger stride or patch)`,
      );
    }
  }

  private publish(job: Job, state: ComputeJobState, always: boolean): void {
    const now = Date.now();
    if (!always && now - job.lastPublished < PROGRESS_INTERVAL_MS) return;
    job.lastPublished = now;
    for (const room of job.rooms)
      for (const listener of this.progressListeners) listener(room, { key: job.key, ...state });
  }

  private remember(key: string, result: unknown, backend: string, ms: number): void {
    const bytes = encodedSize(result);
    if (bytes > this.options.cacheBytes) return;
    this.cache.set(key, { result, backend, ms, bytes });
    this.cachedBytes += bytes;
    for (const [oldKey, entry] of this.cache) {
      if (this.cachedBytes <= this.options.cacheBytes) break;
      this.cache.delete(oldKey);
      this.cachedBytes -= entry.bytes;
    }
  }
}

function cancelled(): ComputeError {
  return new ComputeError('cancelled', 'nobody waits for this result any more');
}

function stateOf(error: ComputeError): ComputeJobState {
  return error.code === 'cancelled'
    ? { state: 'cancelled' }
    : { state: 'failed', code: error.code, reason: error.message };
}

function encodedSize(value: unknown): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + encodedSize(v), 0);
  if (value && typeof value === 'object') {
    return Object.values(value).reduce((sum: number, v) => sum + encodedSize(v), 64);
  }
  return 16;
}

function cachedAnswer(key: string, hit: { result: unknown; backend: string; ms: number }): ComputeAccepted {
  return {
    status: 'done',
    key,
    result: hit.result as EncodedComputeResult,
    origin: { where: 'server', backend: hit.backend, ms: hit.ms, cached: true },
  };
}
