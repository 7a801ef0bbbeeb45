import type { ComputeRequest } from '@/lib/protocol/compute';
import { BROWSER_BACKENDS, type BrowserBackend, type FromWorker, type ToWorker } from './worker-protocol';

interface Pending {
  resolve: (value: { result: unknown; ms: number }) => void;
  reject: (error: Error) => void;
  onProgress?: (progress: { done: number; total?: number }) => void;
  onPartial?: (partial: unknown) => void;
}

/** `?backend=wasm` (or localStorage convlens:backend) pins the browser backend, e.g. in tests. */
export function preferredBackends(): BrowserBackend[] {
  const pinned =
    new URLSearchParams(location.search).get('backend') ?? localStorage.getItem('convlens:backend');
  return BROWSER_BACKENDS.includes(pinned as BrowserBackend)
    ? [pinned as BrowserBackend]
    : [...BROWSER_BACKENDS];
}

/** This tab's Web Worker that computes results with tfjs when the server does not. */
export class BrowserCompute {
  private worker: Worker | null = null;
  private ready: Promise<BrowserBackend> | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  backend(): Promise<BrowserBackend> {
    if (!this.ready) this.ready = this.start();
    return this.ready;
  }

  async run(
    request: ComputeRequest,
    callbacks: Pick<Pending, 'onProgress' | 'onPartial'> = {},
  ): Promise<{ result: unknown; ms: number; backend: BrowserBackend }> {
    const backend = await this.backend();
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

  private start(): Promise<BrowserBackend> {
    const worker = new Worker(new URL('./compute.worker.ts', import.meta.url), { type: 'module' });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.onmessage = (event: MessageEvent<FromWorker>) => {
        const message = event.data;
        switch (message.type) {
          case 'ready':
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
      this.send({ type: 'init', origin: location.origin, backends: preferredBackends() });
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
