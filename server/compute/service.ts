import type { EncodedResult } from '../../lib/compute/codec';
import {
  type ComputeAccepted,
  type ComputeRequest,
  type EncodedComputeResult,
  resultKey,
} from '../../lib/protocol/compute';
import type { ResultStore } from './result-store';
import type { JobCallbacks, WorkerPool } from './worker-pool';

export interface ComputeServiceOptions {
  /** Off: every request is answered "unavailable" and browsers compute (CONVLENS_SERVER_COMPUTE=off). */
  enabled: boolean;
  /** More distinct jobs waiting than this: "unavailable", so browsers take over instead of queueing. */
  maxPending: number;
  /** Bytes of encoded results kept in memory. */
  cacheBytes: number;
}

interface Inflight {
  promise: Promise<ComputeAccepted>;
  listeners: Set<JobCallbacks>;
}

/**
 * Derived results on the server: one computation per key however many clients
 * ask, a memory cache of recent results, and an honest "unavailable" when the
 * pool is off or too busy (clients then compute in the browser).
 */
export class ComputeService {
  private readonly cache = new Map<string, { result: unknown; backend: string; ms: number; bytes: number }>();
  private cachedBytes = 0;
  private readonly inflight = new Map<string, Inflight>();

  constructor(
    private readonly pool: WorkerPool | null,
    private readonly options: ComputeServiceOptions,
    private readonly store: ResultStore | null = null,
  ) {}

  get enabled(): boolean {
    return this.options.enabled && this.pool !== null;
  }

  setEnabled(enabled: boolean): void {
    this.options.enabled = enabled;
  }

  request(request: ComputeRequest, callbacks: JobCallbacks = {}): Promise<ComputeAccepted> {
    const key = resultKey(request);
    const hit = this.cache.get(key);
    if (hit) {
      this.cache.delete(key);
      this.cache.set(key, hit);
      return Promise.resolve(cachedAnswer(key, hit));
    }
    const running = this.inflight.get(key);
    if (running) {
      running.listeners.add(callbacks);
      return running.promise;
    }
    const listeners = new Set<JobCallbacks>([callbacks]);
    const promise = this.lookUpOrCompute(key, request, listeners).finally(() => this.inflight.delete(key));
    this.inflight.set(key, { promise, listeners });
    return promise;
  }

  private async lookUpOrCompute(
    key: string,
    request: ComputeRequest,
    listeners: Set<JobCallbacks>,
  ): Promise<ComputeAccepted> {
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
    const { result, backend, ms } = await pool.run(request, {
      onProgress: (p) => {
        for (const l of listeners) l.onProgress?.(p);
      },
      onPartial: (p) => {
        for (const l of listeners) l.onPartial?.(p);
      },
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
