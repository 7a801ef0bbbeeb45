import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ComputeRequest } from '../../lib/protocol/compute';
import type { WorkerMessage, WorkerReply } from './worker-messages';

export interface JobCallbacks {
  onProgress?: (progress: { done: number; total?: number }) => void;
  onPartial?: (partial: unknown) => void;
}

interface Job extends JobCallbacks {
  id: number;
  request: ComputeRequest;
  resolve: (value: { result: unknown; backend: string; ms: number }) => void;
  reject: (error: Error) => void;
}

interface Slot {
  worker: Worker;
  job: Job | null;
}

/**
 * Runs compute jobs on worker threads, off the event loop. WebAssembly threads
 * do not work in Node, so parallelism comes from one wasm instance per worker
 * (about 1.9× on two cores). Each worker keeps its own loaded models.
 */
export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(readonly size = Math.max(1, Math.min(availableParallelism(), 4))) {
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  get pending(): number {
    return this.queue.length + this.slots.filter((s) => s.job).length;
  }

  run(
    request: ComputeRequest,
    callbacks: JobCallbacks = {},
  ): Promise<{ result: unknown; backend: string; ms: number }> {
    if (this.closed) return Promise.reject(new Error('the compute pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ id: this.nextId++, request, resolve, reject, ...callbacks });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) job.reject(new Error('the compute pool is closed'));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }

  private spawn(): Slot {
    const worker = new Worker(new URL('./compute-worker-entry.mjs', import.meta.url), { env: process.env });
    const slot: Slot = { worker, job: null };
    worker.on('message', (reply: WorkerReply) => this.receive(slot, reply));
    worker.on('error', (error) => this.fail(slot, error));
    worker.on('exit', (code) => {
      if (this.closed) return;
      this.fail(slot, new Error(`compute worker exited with code ${code}`));
      const index = this.slots.indexOf(slot);
      if (index >= 0) this.slots[index] = this.spawn();
      this.dispatch();
    });
    worker.unref();
    return slot;
  }

  private dispatch(): void {
    for (const slot of this.slots) {
      if (slot.job || this.queue.length === 0) continue;
      const job = this.queue.shift()!;
      slot.job = job;
      const message: WorkerMessage = { id: job.id, request: job.request };
      slot.worker.postMessage(message);
    }
  }

  private receive(slot: Slot, reply: WorkerReply): void {
    const job = slot.job;
    if (!job || job.id !== reply.id) return;
    switch (reply.type) {
      case 'progress':
        job.onProgress?.(reply.progress);
        return;
      case 'partial':
        job.onPartial?.(reply.partial);
        return;
      case 'done':
        slot.job = null;
        job.resolve({ result: reply.result, backend: reply.backend, ms: reply.ms });
        break;
      case 'error':
        slot.job = null;
        job.reject(new Error(reply.message));
        break;
    }
    this.dispatch();
  }

  private fail(slot: Slot, error: Error): void {
    const job = slot.job;
    slot.job = null;
    job?.reject(error);
  }
}
