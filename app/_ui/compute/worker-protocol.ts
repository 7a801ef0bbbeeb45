import type { ComputeRequest } from '@/lib/protocol/compute';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];
/** The backends worth timing: plain JS (cpu) is only the last resort. */
export const MEASURED_BACKENDS: readonly BrowserBackend[] = ['webgpu', 'webgl', 'wasm'];

/** Milliseconds of one forward pass of the measured model, per backend that started. */
export type BackendTimings = Partial<Record<BrowserBackend, number>>;

export type ToWorker =
  /**
   * Start on the first of `backends` that works; with `measure`, first time one forward pass of that model on
   * each candidate and start on the fastest.
   */
  | { type: 'init'; origin: string; backends: BrowserBackend[]; measure?: { modelId: string } }
  | { type: 'run'; id: number; request: ComputeRequest }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready'; backend: BrowserBackend; timings?: BackendTimings }
  | { type: 'init-failed'; message: string }
  | { type: 'progress'; id: number; progress: { done: number; total?: number } }
  | { type: 'partial'; id: number; partial: unknown }
  | { type: 'done'; id: number; result: unknown; ms: number }
  | { type: 'error'; id: number; message: string };
