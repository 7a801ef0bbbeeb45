import type { ComputeRequest } from '../../lib/protocol/compute';

export interface WorkerMessage {
  id: number;
  request: ComputeRequest;
}

/** Results cross the thread boundary encoded (lib/compute/codec), ready to send to sockets. */
export type WorkerReply =
  | { id: number; type: 'progress'; progress: { done: number; total?: number } }
  | { id: number; type: 'partial'; partial: unknown }
  | { id: number; type: 'done'; result: unknown; backend: string; ms: number }
  | { id: number; type: 'error'; message: string };
