// A compute worker process: `npm run worker`. Needs REDIS_URL (the queue) and DATABASE_URL (the
// shared PostgreSQL database where results are stored); run any number, on any machine.
import { availableParallelism } from 'node:os';
import { COMPUTE_LIMITS } from './compute/limits';
import { startQueueWorker } from './compute/queue-worker';
import { DatabaseResultStore } from './compute/result-store';
import { WorkerPool } from './compute/worker-pool';
import { openDatabase } from './db/client';
import { databaseConfig } from './db/config';
import { migrateDatabase } from './db/migrate';
import { log } from './log';

async function main(): Promise<void> {
  const redisUrl = process.env.REDIS_URL;
  if (!redisUrl) throw new Error('REDIS_URL is required: compute workers take their jobs from its queue');
  const database = databaseConfig();
  await migrateDatabase(database);
  const db = await openDatabase(database);
  const configured = Number(process.env.CONVLENS_COMPUTE_WORKERS);
  const size =
    Number.isInteger(configured) && configured > 0 ? configured : Math.min(availableParallelism(), 4);
  const pool = new WorkerPool({ size, budgetMs: COMPUTE_LIMITS.timeBudgetMs });
  const worker = await startQueueWorker({
    redisUrl,
    store: new DatabaseResultStore(db),
    pool,
    prefix: process.env.CONVLENS_QUEUE_PREFIX,
    lockDurationMs: optionalNumber(process.env.CONVLENS_QUEUE_LOCK_MS),
    stalledIntervalMs: optionalNumber(process.env.CONVLENS_QUEUE_STALLED_MS),
    log,
  });
  log.info({ threads: size, pid: process.pid, worker: worker.name }, 'compute worker ready');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    // The first signal lets running jobs finish; a second leaves them to another worker.
    process.on(signal, () => {
      const force = stopping;
      stopping = true;
      worker
        .close(force)
        .then(() => pool.close())
        .then(() => db.$disconnect())
        .finally(() => process.exit(0));
    });
  }
}
let stopping = false;

function optionalNumber(value: string | undefined): number | undefined {
  const n = Number(value);
  return value && Number.isFinite(n) && n > 0 ? n : undefined;
}

main().catch((error) => {
  log.fatal({ err: error }, 'the compute worker could not start');
  process.exit(1);
});
