import type { ComputeRequest } from '@/lib/protocol/compute';

export const BROWSER_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BrowserBackend = (typeof BROWSER_BACKENDS)[number];

export type ToWorker =
  | { type: 'init'; origin: string; backends: BrowserBackend[] }
  | { type: 'run'; id: number; request: ComputeRequest }
  | { type: 'cancel'; id: number };

export type FromWorker =
  | { type: 'ready'; backend: BrowserBackend }
  | { type: 'init-failed'; message: string }
  | { type: 'progress'; id: number; progress: { done: number; total?: number } }
  | { type: 'partial'; id: number; partial: unknown }
  | { type: 'done'; id: number; result: unknown; ms: number }
  | { type: 'error'; id: number; message: string };
