// A worker thread of the compute pool: its own tfjs backend, models and images.
import { parentPort, workerData } from 'node:worker_threads';
import { serveJobs } from './job-loop';
import { createWorkerRunner } from './runner';
import type { WorkerData } from './worker-messages';

if (!parentPort) throw new Error('compute-worker runs only as a worker thread');
serveJobs(parentPort, (workerData as WorkerData).cancel, createWorkerRunner());
