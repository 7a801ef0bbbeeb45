import type { ComputeRequest } from '../../lib/protocol/compute';
import type { AtlasStepRequest } from './atlas-step';

/** What a worker computes: a client's request, or a step of an activation atlas build (server-only). */
export type PoolRequest = ComputeRequest | AtlasStepRequest;

/** Set once per worker: the pool writes a job's id into `cancel` to stop it at its next batch. */
export interface WorkerData {
  cancel: Int32Array;
}

export interface WorkerMessage {
  id: number;
  request: PoolRequest;
  /** The job stops itself (at its next batch) once it has run this long. */
  budgetMs: number;
}

export type JobFailure = 'bad-request' | 'cancelled' | 'compute-timeout' | 'compute-failed';

/** Results cross the thread boundary encoded (lib/compute/codec), ready to send to sockets. */
export type WorkerReply =
  | { id: number; type: 'progress'; progress: { done: number; total?: number } }
  | { id: number; type: 'partial'; partial: unknown }
  | { id: number; type: 'done'; result: unknown; backend: string; ms: number }
  /** fatal: the worker's state may be corrupt (a WebAssembly trap, out of memory); the pool replaces it. */
  | { id: number; type: 'error'; code: JobFailure; message: string; fatal: boolean };
