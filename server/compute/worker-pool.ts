import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ComputeJobState, ComputePriority, ComputeRequest } from '../../lib/protocol/compute';
import { COMPUTE_PRIORITIES } from '../../lib/protocol/compute';
import { ComputeError } from './errors';
import type { PoolRequest, WorkerData, WorkerMessage, WorkerReply } from './worker-messages';

export interface JobCallbacks {
  /** Queued (with the jobs ahead) or running (done/total and the time left). */
  onState?: (state: ComputeJobState) => void;
  /** An early, coarser result (encoded). */
  onPartial?: (partial: unknown) => void;
}

export interface SubmitOptions extends JobCallbacks {
  priority?: ComputePriority;
  /** Aborting cancels the job: dropped from the queue, or stopped at its next batch. */
  signal?: AbortSignal;
}

export interface JobOutcome {
  result: unknown;
  backend: string;
  ms: number;
}

export interface PoolJob {
  readonly promise: Promise<JobOutcome>;
  /** Moves a queued job (e.g. up, when the shared view starts needing it). */
  setPriority(priority: ComputePriority): void;
}

/** Where the compute service sends jobs: this process's worker threads, or a queue to worker processes. */
export interface JobQueue {
  /** Jobs queued or running for this server. */
  readonly pending: number;
  /** Why no new job can be taken now (e.g. no compute worker is running), or null. */
  unavailable?(): Promise<string | null>;
  submit(request: ComputeRequest, options?: SubmitOptions): PoolJob;
}

export interface WorkerPoolOptions {
  /** Worker threads (default: one per core, at most 4). */
  size?: number;
  /** Each job's time budget: it stops itself at its next batch past this. */
  budgetMs?: number;
  /** A job still running this long past its budget (stuck in one pass) has its worker replaced. */
  graceMs?: number;
  /** The worker script (tests substitute one that can trap). */
  entry?: URL;
  /**
   * One more worker, kept for the shared view: it takes a shared-view job only when every other worker is busy
   * (with students' exploration, a lesson's preparation, an atlas), so what the class watches starts at once
   * instead of waiting for a job that may run for minutes. It shares the cores with the others meanwhile.
   */
  sharedLane?: boolean;
}

interface Job extends JobCallbacks {
  id: number;
  request: PoolRequest;
  rank: number;
  /** The first progress report: the rate is measured from it. */
  firstReport?: { at: number; done: number };
  ahead: number;
  resolve: (value: JobOutcome) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  cancel: Int32Array;
  job: Job | null;
  deadline: ReturnType<typeof setTimeout> | null;
  retired: boolean;
  /** The shared-view lane (WorkerPoolOptions.sharedLane). */
  lane: boolean;
}

const SHARED_RANK = COMPUTE_PRIORITIES.indexOf('shared');

const DEFAULT_ENTRY = new URL('./compute-worker-entry.mjs', import.meta.url);

/**
 * Runs compute jobs on worker threads, off the event loop. WebAssembly threads do not
 * work in Node, so parallelism comes from one wasm instance per worker (about 1.9× on two
 * cores). The queue serves the shared view first (and may keep a worker for it). A worker
 * whose job traps or runs out of memory is replaced; only that job fails.
 */
export class WorkerPool implements JobQueue {
  readonly size: number;
  readonly budgetMs: number;
  private readonly graceMs: number;
  private readonly entry: URL;
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;
  /** Workers replaced after a failure (a trap, out of memory, a stuck job). */
  replaced = 0;

  constructor(options: WorkerPoolOptions = {}) {
    this.size = options.size ?? Math.max(1, Math.min(availableParallelism(), 4));
    this.budgetMs = options.budgetMs ?? 120_000;
    this.graceMs = options.graceMs ?? 10_000;
    this.entry = options.entry ?? DEFAULT_ENTRY;
    for (let i = 0; i < this.size; i++) this.slots.push(this.spawn(false));
    // Last, so that a shared-view job goes to a free regular worker first.
    if (options.sharedLane) this.slots.push(this.spawn(true));
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.queue.length + this.running;
  }

  get running(): number {
    return this.slots.filter((s) => s.job).length;
  }

  run(request: PoolRequest, options: SubmitOptions = {}): Promise<JobOutcome> {
    return this.submit(request, options).promise;
  }

  submit(request: PoolRequest, options: SubmitOptions = {}): PoolJob {
    let job: Job | undefined;
    const promise = new Promise<JobOutcome>((resolve, reject) => {
      if (this.closed) return reject(new Error('the compute pool is closed'));
      job = {
        id: this.nextId++,
        request,
        rank: COMPUTE_PRIORITIES.indexOf(options.priority ?? 'explore'),
        ahead: -1,
        resolve,
        reject,
        onState: options.onState,
        onPartial: options.onPartial,
      };
      if (options.signal?.aborted) return reject(cancelled());
      this.enqueue(job);
      this.dispatch();
    });
    // Removed when the job ends: a long-lived signal (an atlas build's, across its steps) would otherwise
    // collect one listener per job, each holding its job.
    const onAbort = () => this.cancel(job!);
    const signal = options.signal;
    if (job && signal && !signal.aborted) {
      signal.addEventListener('abort', onAbort, { once: true });
      const detach = () => signal.removeEventListener('abort', onAbort);
      promise.then(detach, detach);
    }
    return {
      promise,
      setPriority: (priority) => {
        if (!job || !this.queue.includes(job)) return;
        job.rank = Math.min(job.rank, COMPUTE_PRIORITIES.indexOf(priority));
        this.queue.splice(this.queue.indexOf(job), 1);
        this.enqueue(job);
        this.announceQueue();
      },
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the compute pool is closed'));
    for (const slot of this.slots) {
      slot.retired = true;
      if (slot.deadline) clearTimeout(slot.deadline);
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  /** Behind every job of the same or a better rank: FIFO within a rank. */
  private enqueue(job: Job): void {
    const at = this.queue.findIndex((queued) => queued.rank > job.rank);
    this.queue.splice(at < 0 ? this.queue.length : at, 0, job);
  }

  private cancel(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued >= 0) {
      this.queue.splice(queued, 1);
      job.reject(cancelled());
      this.announceQueue();
      return;
    }
    const slot = this.slots.find((s) => s.job === job);
    // The worker sees this between two batches and answers "cancelled".
    if (slot) Atomics.store(slot.cancel, 0, job.id);
  }

  private spawn(lane: boolean): Slot {
    const cancel = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(this.entry, {
      env: process.env,
      workerData: { cancel } satisfies WorkerData,
    });
    const slot: Slot = { worker, cancel, job: null, deadline: null, retired: false, lane };
    worker.on('message', (reply: WorkerReply) => this.receive(slot, reply));
    worker.on('error', () => undefined);
    worker.on('exit', (code) => {
      if (slot.retired || this.closed) return;
      this.replace(
        slot,
        new ComputeError('compute-failed', `the compute worker stopped (exit code ${code})`),
      );
    });
    worker.unref();
    return slot;
  }

  /** Retires a worker (its job fails with `error`) and puts a fresh one in its place. */
  private replace(slot: Slot, error: Error): void {
    slot.retired = true;
    this.finish(slot)?.reject(error);
    void slot.worker.terminate();
    const index = this.slots.indexOf(slot);
    if (index >= 0 && !this.closed) {
      this.slots[index] = this.spawn(slot.lane);
      this.replaced++;
    }
    this.dispatch();
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || slot.retired || this.queue.length === 0) continue;
      // The queue is in rank order: when its head is not for the shared view, nothing is.
      if (slot.lane && this.queue[0].rank !== SHARED_RANK) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      job.onState?.({ state: 'running', done: 0 });
      const message: WorkerMessage = { id: job.id, request: job.request, budgetMs: this.budgetMs };
      slot.deadline = setTimeout(() => {
        if (slot.job === job) {
          this.replace(slot, new ComputeError('compute-timeout', `stopped after its time budget`));
        }
      }, this.budgetMs + this.graceMs);
      slot.deadline.unref();
      slot.worker.postMessage(message);
    }
    this.announceQueue();
  }

  private announceQueue(): void {
    this.queue.forEach((job, ahead) => {
      if (job.ahead === ahead) return;
      job.ahead = ahead;
      job.onState?.({ state: 'queued', ahead });
    });
  }

  private receive(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    switch (reply.type) {
      case 'progress': {
        const { done, total } = reply.progress;
        // The rate since the first report: the time before it went on loading the model and the image,
        // which says nothing about how long the rest takes.
        const now = performance.now();
        job.firstReport ??= { at: now, done };
        const { at, done: from } = job.firstReport;
        const etaMs =
          total && done > from ? Math.round(((now - at) / (done - from)) * (total - done)) : undefined;
        job.onState?.({ state: 'running', done, total, etaMs });
        return;
      }
      case 'partial':
        job.onPartial?.(reply.partial);
        return;
      case 'done':
        this.finish(slot);
        job.resolve({ result: reply.result, backend: reply.backend, ms: reply.ms });
        break;
      case 'error':
        if (reply.fatal) {
          this.replace(slot, new ComputeError(reply.code, reply.message));
          return;
        }
        this.finish(slot);
        job.reject(new ComputeError(reply.code, reply.message));
        break;
    }
    this.dispatch();
  }

  /** Frees the slot; returns the job it held. */
  private finish(slot: Slot): Job | null {
    const job = slot.job;
    slot.job = null;
    if (slot.deadline) clearTimeout(slot.deadline);
    slot.deadline = null;
    Atomics.store(slot.cancel, 0, 0);
    return job;
  }
}

function cancelled(): ComputeError {
  return new ComputeError('cancelled', 'nobody waits for this result any more');
}
