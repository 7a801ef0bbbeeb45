import { decodeResult, type EncodedResult } from '@/lib/compute/codec';
import type { ComputeResults } from '@/lib/compute/types';
import type { ComputeAccepted, ComputeProgress } from '@/lib/protocol/compute';
import { type ComputeRequest, type ResultOrigin, resultKey } from '@/lib/protocol/compute';
import type { Response } from '@/lib/protocol/socket';
import type { BrowserCompute } from './browser-compute';

export interface Computed<T> {
  key: string;
  status: 'loading' | 'done' | 'error';
  result?: T;
  /** An early, coarser result while the full one is computed. */
  partial?: T;
  progress?: { done: number; total?: number };
  origin?: ResultOrigin;
  error?: string;
}

type Listener = (value: Computed<unknown>) => void;

/** How this page reaches the server's compute: the session socket live, HTTP in a replay. */
export interface ServerCompute {
  readonly connected: boolean;
  computeOnServer(request: ComputeRequest): Promise<Response<ComputeAccepted>>;
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
    entry.listeners.add(l);
    l(entry.value);
    return () => entry.listeners.delete(l);
  }

  private async compute(request: ComputeRequest, entry: Entry): Promise<void> {
    const { key } = entry.value;
    const set = (patch: Partial<Computed<unknown>>) => {
      entry.value = { ...entry.value, ...patch };
      for (const l of entry.listeners) l(entry.value);
    };
    const unwatch = this.connection.watchCompute(
      key,
      (progress) => set({ progress }),
      (partial) => set({ partial: decodeResult(partial as EncodedResult) }),
    );
    try {
      if (this.where() === 'server' && this.connection.connected) {
        const response = await this.connection.computeOnServer(request);
        if (response.ok && response.value.status === 'done') {
          const origin = response.value.origin;
          set({ status: 'done', result: decodeResult(response.value.result), origin, progress: undefined });
          this.onOrigin(origin);
          return;
        }
        if (!response.ok && response.error.code === 'bad-request') {
          set({ status: 'error', error: response.error.message });
          return;
        }
        // Declined, busy or disconnected: this browser computes it.
      }
      const run = await this.browser.run(request, {
        onProgress: (progress) => set({ progress }),
        onPartial: (partial) => set({ partial }),
      });
      const origin: ResultOrigin = { where: 'browser', backend: run.backend, ms: run.ms, cached: false };
      set({ status: 'done', result: run.result, origin, progress: undefined });
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
