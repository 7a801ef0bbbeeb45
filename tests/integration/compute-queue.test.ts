// Compute workers on a BullMQ queue (REDIS_URL): two worker processes, Redis and PostgreSQL.
// One worker is SIGKILLed during a job; the other takes the stalled job over and finishes it.
import { type ChildProcess, spawn } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ComputeAccepted,
  type ComputeProgress,
  type ComputeRequest,
  resultKey,
} from '@/lib/protocol/compute';
import { type Application, createApplication } from '@/server/app';
import { projectRoot } from '@/server/db/config';
import { freshDatabase } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const prefix = `convlens-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

interface WorkerProcess {
  child: ChildProcess;
  lines: Record<string, unknown>[];
}

function until(condition: () => boolean, timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (condition()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not reached'));
      else setTimeout(poll, 20);
    };
    poll();
  });
}

describe('compute workers on a queue (Redis and PostgreSQL)', () => {
  let app: Application;
  let url: string;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  const workers: WorkerProcess[] = [];
  let queue: Queue;

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
    app = await createApplication({ database: db.config, redisUrl: REDIS_URL, redisStream: prefix });
    await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
    const started = [startWorker(), startWorker()];
    await until(() => started.every((w) => w.lines.some((l) => l.msg === 'compute worker ready')));
    queue = new Queue('compute', {
      connection: new Redis(REDIS_URL, { maxRetriesPerRequest: null }),
      prefix: `${prefix}:bull`,
    });
    // Two worker processes start tfjs: slow on a loaded machine.
  }, 300_000);
  afterAll(async () => {
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
    const request: ComputeRequest = {
      kind: 'occlusion',
      modelId: 'mnist-cnn',
      imageId: 'mnist/000-4.png',
      patch: 2,
      stride: 1,
      fill: 'grey',
      classIndex: 3,
    };
    const key = resultKey(request);
    const progress: ComputeProgress[] = [];
    teacher.socket.on('compute:progress', (p) => progress.push(p));
    const answers: unknown[] = [];
    const answered = teacher.request<ComputeAccepted>('compute:request', request).then((a) => {
      answers.push(a);
      return a;
    });

    await until(() => progress.some((p) => p.key === key && p.state === 'running' && p.done > 0));
    const job = await queue.getJob(key);
    const victim = workers.find((w) => job?.processedBy === `worker-${w.child.pid}`);
    expect(victim).toBeDefined();
    victim!.child.kill('SIGKILL');

    const answer = await answered;
    expect(answer).toMatchObject({ ok: true, value: { status: 'done', key, origin: { cached: false } } });
    const survivor = workers.find((w) => w !== victim)!;
    expect(computedBy(survivor, key)).toHaveLength(1);
    expect(computedBy(victim!, key)).toHaveLength(0);
    expect(await app.db.resultCache.count({ where: { key } })).toBe(1);

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
});
