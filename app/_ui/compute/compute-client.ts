import { decodeResult, type EncodedResult } from '@/lib/compute/codec';
import type { ComputeResults } from '@/lib/compute/types';
import type {
  ComputeAccepted,
  ComputeFailureCode,
  ComputeJobState,
  ComputeProgress,
} from '@/lib/protocol/compute';
import { type ComputeRequest, type ResultOrigin, resultKey } from '@/lib/protocol/compute';
import type { ErrorCode, Response } from '@/lib/protocol/socket';
import type { BrowserCompute } from './browser-compute';

export interface Computed<T> {
  key: string;
  status: 'loading' | 'done' | 'error';
  result?: T;
  /** An early, coarser result while the full one is computed. */
  partial?: T;
  /** While loading: queued (jobs ahead) or running (done/total, time left); failed with the reason. */
  job?: ComputeJobState;
  origin?: ResultOrigin;
  error?: string;
}

type Listener = (value: Computed<unknown>) => void;

/** How this page reaches the server's compute: the session socket live, HTTP in a replay. */
export interface ServerCompute {
  readonly connected: boolean;
  computeOnServer(request: ComputeRequest): Promise<Response<ComputeAccepted>>;
  /** This tab no longer needs the result: the server stops the job if nobody else waits. */
  cancelOnServer?(key: string): void;
  watchCompute(
    key: string,
    onProgress: (p: ComputeProgress) => void,
    onPartial: (r: unknown) => void,
  ): () => void;
}

interface Entry {
  value: Computed<unknown>;
  listeners: Set<Listener>;
}

const MAX_ENTRIES = 64;
/** A view that unmounts and mounts again at once (a re-render) keeps its job. */
const CANCEL_GRACE_MS = 150;
/** The server refused or stopped the job for a reason the browser must not work around. */
const FINAL_ERRORS = new Set<ErrorCode>([
  'bad-request',
  'too-costly',
  'queue-full',
  'compute-timeout',
  'compute-failed',
]);
const isFinal = (code: ErrorCode): code is ComputeFailureCode => FINAL_ERRORS.has(code);

/**
 * Gets derived results: from the server when the session computes there and it
 * answers, otherwise in this tab's Web Worker with the same code. One job per
 * key however many views ask; recent results are kept.
 */
export class ComputeClient {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly connection: ServerCompute,
    private readonly browser: BrowserCompute,
    private readonly where: () => 'server' | 'browser',
    private readonly onOrigin: (origin: ResultOrigin) => void = () => {},
  ) {}

  subscribe<K extends ComputeRequest['kind']>(
    request: Extract<ComputeRequest, { kind: K }>,
    listener: (value: Computed<ComputeResults[K]>) => void,
  ): () => void {
    const key = resultKey(request);
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { value: { key, status: 'loading' }, listeners: new Set() };
      this.entries.set(key, entry);
      this.evict();
      void this.compute(request, entry);
    } else if (entry.value.status === 'error' && entry.listeners.size === 0) {
      entry.value = { key, status: 'loading' };
      void this.compute(request, entry);
    }
    const l = listener as Listener;
    const subscribed = entry;
    subscribed.listeners.add(l);
    l(subscribed.value);
    return () => {
      subscribed.listeners.delete(l);
      if (subscribed.listeners.size === 0) setTimeout(() => this.abandon(key, subscribed), CANCEL_GRACE_MS);
    };
  }

  /** A job's state as the server reports it to this session (e.g. an atlas build), without asking for a result. */
  watchProgress(key: string, listener: (job: ComputeJobState) => void): () => void {
    return this.connection.watchCompute(
      key,
      ({ key: _, ...job }) => listener(job),
      () => {},
    );
  }

  /** Nobody here looks at a result still being computed: forget it and tell the server. */
  private abandon(key: string, entry: Entry): void {
    if (entry.listeners.size > 0 || entry.value.status !== 'loading') return;
    if (this.entries.get(key) === entry) this.entries.delete(key);
    this.connection.cancelOnServer?.(key);
  }

  private async compute(request: ComputeRequest, entry: Entry): Promise<void> {
    const { key } = entry.value;
    const set = (patch: Partial<Computed<unknown>>) => {
      entry.value = { ...entry.value, ...patch };
      for (const l of entry.listeners) l(entry.value);
    };
    const unwatch = this.connection.watchCompute(
      key,
      ({ key: _, ...job }) => set({ job }),
      (partial) => set({ partial: decodeResult(partial as EncodedResult) }),
    );
    try {
      if (this.where() === 'server' && this.connection.connected) {
        const response = await this.connection.computeOnServer(request);
        if (response.ok && response.value.status === 'done') {
          const origin = response.value.origin;
          set({ status: 'done', result: decodeResult(response.value.result), origin, job: undefined });
          this.onOrigin(origin);
          return;
        }
        if (!response.ok && isFinal(response.error.code)) {
          const { code, message } = response.error;
          set({ status: 'error', error: message, job: { state: 'failed', code, reason: message } });
          return;
        }
        // Not to be shown (an exercise's answer before the reveal): this browser does not compute it either.
        if (!response.ok && response.error.code === 'forbidden') {
          set({ status: 'error', error: response.error.message, job: undefined });
          return;
        }
        // Nobody here waits any more (abandon() told the server).
        if (!response.ok && response.error.code === 'cancelled') return;
        // Declined, busy or disconnected: this browser computes it.
      }
      const run = await this.browser.run(request, {
        onProgress: ({ done, total }) => set({ job: { state: 'running', done, total } }),
        onPartial: (partial) => set({ partial }),
      });
      const origin: ResultOrigin = { where: 'browser', backend: run.backend, ms: run.ms, cached: false };
      set({ status: 'done', result: run.result, origin, job: undefined });
      this.onOrigin(origin);
    } catch (error) {
      set({ status: 'error', error: error instanceof Error ? error.message : String(error) });
    } finally {
      unwatch();
    }
  }

  private evict(): void {
    for (const [key, entry] of this.entries) {
      if (this.entries.size <= MAX_ENTRIES) return;
      if (entry.listeners.size === 0 && entry.value.status !== 'loading') this.entries.delete(key);
    }
  }
}
