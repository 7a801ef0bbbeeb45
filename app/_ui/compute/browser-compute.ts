import type { ComputeRequest } from '@/lib/protocol/compute';
import {
  type BackendTimings,
  BROWSER_BACKENDS,
  type BrowserBackend,
  type FromWorker,
  MEASURED_BACKENDS,
  type ToWorker,
} from './worker-protocol';

interface Pending {
  resolve: (value: { result: unknown; ms: number }) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: { done: number; total?: number }) => void;
  onPartial?: (partial: unknown) => void;
}

const isBackend = (name: string | null): name is BrowserBackend =>
  BROWSER_BACKENDS.includes(name as BrowserBackend);

/**
 * The candidate backends: `?backend=wasm` (or localStorage convlens:backend) pins one, `?backends=webgl,wasm`
 * names the candidates (tests); by default all of them.
 */
export function preferredBackends(): BrowserBackend[] {
  const query = new URLSearchParams(location.search);
  const pinned = query.get('backend') ?? localStorage.getItem('convlens:backend');
  if (isBackend(pinned)) return [pinned];
  const listed = (query.get('backends') ?? '').split(',').filter(isBackend);
  return listed.length > 0 ? [...new Set(listed)] : [...BROWSER_BACKENDS];
}

/** The measured choice for a model, kept for this tab's session (sessionStorage). */
export interface BackendChoice {
  backend: BrowserBackend;
  timings: BackendTimings;
  /** The candidates it was chosen among: another set of candidates measures again. */
  candidates: BrowserBackend[];
}

const choiceKey = (modelId: string) => `convlens:backend-choice:${modelId}`;

export function storedBackendChoice(modelId: string): BackendChoice | null {
  try {
    return JSON.parse(sessionStorage.getItem(choiceKey(modelId)) ?? 'null') as BackendChoice | null;
  } catch {
    return null;
  }
}

/** This tab's Web Worker that computes results with tfjs when the server does not. */
export class BrowserCompute {
  private worker: Worker | null = null;
  private ready: Promise<BrowserBackend> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  /**
   * The backend this tab computes on, started once: the fastest candidate for `modelId` (a timed forward
   * pass on each, remembered for the tab's session), or the first candidate that starts when no model is
   * named or only one candidate is worth timing.
   */
  backend(modelId?: string): Promise<BrowserBackend> {
    if (!this.ready) this.ready = this.start(modelId);
    return this.ready;
  }

  async run(
    request: ComputeRequest,
    callbacks: Pick<Pending, 'onProgress' | 'onPartial'> = {},
  ): Promise<{ result: unknown; ms: number; backend: BrowserBackend }> {
    const backend = await this.backend(request.modelId);
    const id = this.nextId++;
    const done = new Promise<{ result: unknown; ms: number }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject, ...callbacks });
    });
    this.send({ type: 'run', id, request });
    return { ...(await done), backend };
  }

  terminate(): void {
    this.worker?.terminate();
    this.worker = null;
    this.ready = null;
    for (const p of this.pending.values()) p.reject(new Error('the compute worker stopped'));
    this.pending.clear();
  }

  private start(modelId: string | undefined): Promise<BrowserBackend> {
    const worker = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    const candidates = preferredBackends();
    const stored = modelId ? storedBackendChoice(modelId) : null;
    const known =
      stored && candidates.includes(stored.backend) && sameSet(stored.candidates, candidates) ? stored : null;
    const backends = known ? [known.backend, ...candidates.filter((b) => b !== known.backend)] : candidates;
    const measure =
      !known && modelId && candidates.filter((b) => MEASURED_BACKENDS.includes(b)).length > 1
        ? { modelId }
        : undefined;
    return new Promise((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        switch (message.type) {
          case 'ready':
            if (measure && message.timings) {
              const choice: BackendChoice = {
                backend: message.backend,
                timings: message.timings,
                candidates,
              };
              try {
                sessionStorage.setItem(choiceKey(measure.modelId), JSON.stringify(choice));
              } catch {
                // Storage full or blocked: measured again next time.
              }
            }
            resolve(message.backend);
            return;
          case 'init-failed':
            reject(new Error(message.message));
            return;
          default:
            this.receive(message);
        }
      };
      worker.onerror = (event) => reject(new Error(event.message || 'the compute worker failed to start'));
      this.send({ type: 'init', origin: location.origin, backends, measure });
    });
  }

  private receive(message: Exclude<FromWorker, { type: 'ready' | 'init-failed' }>): void {
    const pending = this.pending.get(message.id);
    if (!pending) return;
    switch (message.type) {
      case 'progress':
        pending.onProgress?.(message.progress);
        return;
      case 'partial':
        pending.onPartial?.(message.partial);
        return;
      case 'done':
        this.pending.delete(message.id);
        pending.resolve({ result: message.result, ms: message.ms });
        return;
      case 'error':
        this.pending.delete(message.id);
        pending.reject(new Error(message.message));
        return;
    }
  }

  private send(message: ToWorker): void {
    this.worker?.postMessage(message);
  }
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}
