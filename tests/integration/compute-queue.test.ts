// Compute workers on a BullMQ queue (REDIS_URL): two worker processes, Redis and PostgreSQL.
// One worker is SIGKILLed during a job; the other takes the stalled job over and finishes it.
// Then, on queues of their own: priorities, places in the queue, cancellation, the per-participant
// limit, and what a server says when no compute worker is running.
import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComputeAccepted,
  type ComputeJobState,
  type ComputePartial,
  type ComputeProgress,
  type ComputeRequest,
  resultKey,
} from '@/lib/protocol/compute';
import { type Application, createApplication } from '@/server/app';
import { BullComputeQueue } from '@/server/compute/bull-queue';
import { JobCounts } from '@/server/compute/job-counts';
import { type QueueWorker, startQueueWorker } from '@/server/compute/queue-worker';
import { DatabaseResultStore } from '@/server/compute/result-store';
import { ComputeService } from '@/server/compute/service';
import { WorkerPool } from '@/server/compute/worker-pool';
import { type DatabaseConfig, projectRoot } from '@/server/db/config';
import { failure, longOcclusion } from '../helpers/compute-requests';
import { freshDatabase } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `convlens-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

interface WorkerProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  exitCode?: number | null;
}

const predict = (image: string): ComputeRequest => ({
  kind: 'predict',
  modelId: 'mnist-cnn',
  imageId: `mnist/${image}.png`,
});

function until(condition: () => boolean | Promise<boolean>, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = async () => {
      try {
        if (await condition()) resolve();
        else if (Date.now() > deadline) reject(new Error('condition not reached'));
        else setTimeout(poll, 20);
      } catch (error) {
        reject(error);
      }
    };
    poll();
  });
}

describe('compute workers on a queue (Redis and PostgreSQL)', () => {
  let app: Application;
  let url: string;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  let databaseConfig: DatabaseConfig;
  const workers: WorkerProcess[] = [];
  let queue: Queue;
  const cleanup: (() => Promise<unknown>)[] = [];
  const silent = pino({ level: 'silent' });

  /** A queue of its own (its own Redis prefix) on this test's database, removed afterwards. */
  function ownQueue(name: string, options: { noWorkerGraceMs: number }) {
    const own = `${prefix}-${name}`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
    const store = new DatabaseResultStore(app.db);
    const bull = new BullComputeQueue(redis, store, { prefix: own, pollMs: 200, ...options });
    const raw = new Queue('compute', {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: `${own}:bull`,
    });
    cleanup.push(async () => {
      await bull.close();
      await raw.obliterate({ force: true });
      await raw.close();
      redis.disconnect();
    });
    return { prefix: own, redis, store, bull, raw };
  }
  async function inProcessWorker(
    own: ReturnType<typeof ownQueue>,
  ): Promise<{ worker: QueueWorker; pool: WorkerPool }> {
    const pool = new WorkerPool({ size: 1 });
    const worker = await startQueueWorker({
      redisUrl: REDIS_URL,
      store: own.store,
      pool,
      prefix: own.prefix,
      log: silent,
    });
    cleanup.push(async () => {
      await worker.close(true);
      await pool.close();
    });
    return { worker, pool };
  }

  function startWorker(): WorkerProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/worker.ts'], {
      cwd: projectRoot,
      env: {
        ...process.env,
        REDIS_URL,
        DATABASE_URL: databaseUrl,
        CONVLENS_QUEUE_PREFIX: prefix,
        CONVLENS_COMPUTE_WORKERS: '1',
        CONVLENS_QUEUE_LOCK_MS: '3000',
        CONVLENS_QUEUE_STALLED_MS: '1500',
        LOG_LEVEL: 'info',
        NODE_ENV: 'production',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const worker: WorkerProcess = { child, lines: [] };
    child.on('exit', (code) => {
      worker.exitCode = code;
    });
    let buffer = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        try {
          worker.lines.push(JSON.parse(line));
        } catch {
          // not a log line
        }
      }
    });
    workers.push(worker);
    return worker;
  }
  const computedBy = (w: WorkerProcess, key: string) =>
    w.lines.filter((l) => l.msg === 'computed' && l.key === key);

  beforeAll(async () => {
    const db = await freshDatabase('postgres');
    drop = db.drop;
    databaseUrl = db.config.url;
    databaseConfig = db.config;
    // No embedded worker: the two worker processes below are the only compute.
    app = await createApplication({
      database: db.config,
      redisUrl: REDIS_URL,
      redisStream: prefix,
      embeddedWorker: false,
    });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
    const started = [startWorker(), startWorker()];
    // A fresh clone's first start compiles the server with tsx and loads tfjs in both processes at once: on a
    // busy 2-core machine that has taken over 90 s.
    const ready = (w: WorkerProcess) => w.lines.some((l) => l.msg === 'compute worker ready');
    await until(() => {
      const failed = started.find((w) => w.exitCode !== undefined && !ready(w));
      if (failed)
        throw new Error(`a worker exited before it was ready: ${JSON.stringify(failed.lines.at(-1))}`);
      return started.every(ready);
    }, 240_000);
    queue = new Queue('compute', {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: `${prefix}:bull`,
    });
  }, 300_000);
  afterAll(async () => {
    for (const close of cleanup.reverse()) await close().catch(() => undefined);
    for (const w of workers) w.child.kill('SIGKILL');
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    await app?.close();
    await drop?.();
  });

  it('finishes a job whose worker was killed on another worker, delivers it once, never computes it again', async () => {
    const session = await createSession(url);
    const teacher = await TestParticipant.join(url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const request = longOcclusion(3);
    const key = resultKey(request);
    const progress: ComputeProgress[] = [];
    teacher.socket.on('compute:progress', (p) => progress.push(p));
    const partials: ComputePartial[] = [];
    teacher.socket.on('compute:partial', (p) => partials.push(p));
    const answers: unknown[] = [];
    const answered = teacher.request<ComputeAccepted>('compute:request', request).then((a) => {
      answers.push(a);
      return a;
    });

    await until(() => progress.some((p) => p.key === key && p.state === 'running' && p.done > 0));
    const job = await queue.getJob(key);
    const nameOf = (w: WorkerProcess) => w.lines.find((l) => l.msg === 'compute worker ready')?.worker;
    const victim = workers.find((w) => job?.processedBy === nameOf(w));
    expect(victim).toBeDefined();
    victim!.child.kill('SIGKILL');

    const answer = await answered;
    expect(answer).toMatchObject({ ok: true, value: { status: 'done', key, origin: { cached: false } } });
    const survivor = workers.find((w) => w !== victim)!;
    expect(computedBy(survivor, key)).toHaveLength(1);
    expect(computedBy(victim!, key)).toHaveLength(0);
    expect(await app.db.resultCache.count({ where: { key } })).toBe(1);
    // Progress and the coarse map came through Redis: running with done/total and the time left.
    const states = progress.filter((p) => p.key === key);
    expect(states.some((p) => p.state === 'running' && p.total && p.etaMs !== undefined)).toBe(true);
    expect(partials.some((p) => p.key === key && p.result.bytes.byteLength > 0)).toBe(true);

    // The same job again (a retry, another server's late request): the worker finds it stored.
    await queue.add('compute', { request }, { jobId: key, removeOnComplete: true, removeOnFail: true });
    const again = await teacher.request<ComputeAccepted>('compute:request', request);
    expect(again).toMatchObject({ ok: true, value: { status: 'done', origin: { cached: true } } });
    for (;;) {
      const counts = await queue.getJobCounts('waiting', 'prioritized', 'active');
      if (counts.waiting + counts.prioritized + counts.active === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(computedBy(survivor, key)).toHaveLength(1);
    expect(answers).toHaveLength(1);
    teacher.close();
  });

  it('serves the shared view first, tells each queued job its place, and promotes a job the shared view starts needing', async () => {
    const own = ownQueue('order', { noWorkerGraceMs: 600_000 });
    const states = new Map<string, ComputeJobState[]>();
    const started: string[] = [];
    const submit = (request: ComputeRequest, priority: 'shared' | 'explore') => {
      const key = resultKey(request);
      states.set(key, []);
      return own.bull.submit(request, {
        priority,
        onState: (state) => {
          states.get(key)!.push(state);
          if (state.state === 'running' && !started.includes(key)) started.push(key);
        },
      });
    };
    const ahead = (request: ComputeRequest) => {
      const last = states.get(resultKey(request))?.at(-1);
      return last?.state === 'queued' ? last.ahead : undefined;
    };
    const [a, b, c] = [predict('002-6'), predict('003-0'), predict('004-1')];
    // Each queued before the next is asked for: FIFO within a priority.
    const jobA = submit(a, 'explore');
    await until(() => ahead(a) !== undefined);
    const jobB = submit(b, 'explore');
    await until(() => ahead(b) !== undefined);
    const jobC = submit(c, 'shared');
    await until(() => ahead(c) === 0 && ahead(a) === 1 && ahead(b) === 2);

    jobB.setPriority('shared');
    await until(() => ahead(c) === 0 && ahead(b) === 1 && ahead(a) === 2);
    expect((await own.raw.getJob(resultKey(b)))?.priority).toBe(1);

    // One worker thread: it takes them in that order.
    await inProcessWorker(own);
    const outcomes = await Promise.all([jobA.promise, jobB.promise, jobC.promise]);
    expect(started).toEqual([c, b, a].map(resultKey));
    expect(outcomes.every((o) => o.result)).toBe(true);
  }, 180_000);

  it('refuses a participant past the limit, stops an abandoned job at its next batch and gives the point back', async () => {
    const own = ownQueue('cancel', { noWorkerGraceMs: 600_000 });
    const { pool } = await inProcessWorker(own);
    const service = new ComputeService(
      own.bull,
      {
        enabled: true,
        maxPending: 16,
        cacheBytes: 1 << 20,
        counts: new JobCounts(
          { perParticipant: 1, perAddress: 8, perSession: 16 },
          { redis: own.redis, prefix: own.prefix },
        ),
      },
      own.store,
    );
    const progress: ComputeProgress[] = [];
    service.onProgress((_room, p) => progress.push(p));
    const owner = { participantId: 'p1', sessionId: 's1', address: '127.0.0.9' };
    const long = longOcclusion(5);
    const key = resultKey(long);
    const first = service.request(long, { id: 'w1', room: 'r', owner });
    const second = service.request(longOcclusion(6), { id: 'w2', room: 'r', owner });
    expect(await failure(second)).toMatchObject({ code: 'queue-full' });

    await until(() => progress.some((p) => p.key === key && p.state === 'running' && p.done > 0));
    service.release(key, 'w1');
    expect(await failure(first)).toMatchObject({ code: 'cancelled' });
    await until(() => pool.running === 0, 20_000);
    expect(await own.store.get(key)).toBeNull();
    await until(() => progress.some((p) => p.key === key && p.state === 'cancelled'));

    const next = await service.request(predict('005-6'), { id: 'w3', room: 'r', owner });
    expect(next).toMatchObject({ status: 'done' });
  }, 180_000);

  it('says when no compute worker runs: new jobs are "unavailable", jobs left waiting fail with the reason', async () => {
    const own = ownQueue('alone', { noWorkerGraceMs: 1000 });
    const service = new ComputeService(
      own.bull,
      { enabled: true, maxPending: 16, cacheBytes: 1 << 20 },
      own.store,
    );
    const request = predict('006-7');
    expect(await service.request(request)).toMatchObject({
      status: 'unavailable',
      reason: expect.stringMatching(/no compute worker is running/),
    });
    const waiting = own.bull.submit(request);
    expect(await failure(waiting.promise)).toMatchObject({
      code: 'compute-failed',
      message: expect.stringMatching(/no compute worker is running/),
    });
    await until(async () => !(await own.raw.getJob(resultKey(request))));
  });

  it('a server on Redis computes on its own threads too (its embedded worker) when no worker process runs', async () => {
    const own = `${prefix}-embedded`;
    const embedded = await createApplication({
      database: databaseConfig,
      redisUrl: REDIS_URL,
      redisStream: own,
      computeWorkers: 1,
    });
    cleanup.push(async () => {
      await embedded.close();
      const raw = new Queue('compute', {
        connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
        prefix: `${own}:bull`,
      });
      await raw.obliterate({ force: true });
      await raw.close();
    });
    await new Promise<void>((resolve) => embedded.httpServer.listen(0, '127.0.0.1', resolve));
    const embeddedUrl = `http://127.0.0.1:${(embedded.httpServer.address() as AddressInfo).port}`;
    const session = await createSession(embeddedUrl);
    const teacher = await TestParticipant.join(embeddedUrl, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const answer = await teacher.request<ComputeAccepted>('compute:request', predict('007-9'));
    expect(answer).toMatchObject({
      ok: true,
      value: { status: 'done', origin: { where: 'server', cached: false } },
    });
    teacher.close();
  }, 180_000);
});
