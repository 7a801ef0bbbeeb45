import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResult } from '@/lib/compute/codec';
import { runCompute } from '@/lib/compute/run';
import {
  atlasProgressKey,
  type ComputeAccepted,
  type ComputeProgress,
  type ComputeRequest,
} from '@/lib/protocol/compute';
import type { Response } from '@/lib/protocol/socket';
import type { TopActivatingResult } from '@/lib/viz/top-activating';
import { type Application, createApplication } from '@/server/app';
import { ImageCatalog } from '@/server/catalog/images';
import { initComputeBackend, tf } from '@/server/compute/backend';
import { createServerComputeEnv } from '@/server/compute/env';
import { PROJECT_ROOT } from '@/server/models/paths';
import { freshDatabase, startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const MODEL = 'mnist-cnn';
const SET = 'mnist';
const ATLAS = atlasProgressKey(MODEL, SET);

type TopRequest = Extract<ComputeRequest, { kind: 'top-activating' }>;
const top = (layer: string, channels: number[], k: number): TopRequest => ({
  kind: 'top-activating',
  modelId: MODEL,
  imageSetId: SET,
  layer,
  channels,
  k,
});

function done(response: Response<ComputeAccepted>) {
  if (!response.ok) throw new Error(response.error.message);
  if (response.value.status !== 'done') throw new Error(response.value.reason);
  return response.value;
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A teacher of a new session on this server, recording the atlas's progress. */
async function teacherOn(url: string): Promise<{ teacher: TestParticipant; atlas: ComputeProgress[] }> {
  const session = await createSession(url);
  const teacher = await TestParticipant.join(url, {
    joinCode: session.joinCode,
    instructorKey: session.instructorKey,
  });
  const atlas: ComputeProgress[] = [];
  teacher.socket.on('compute:progress', (p) => {
    if (p.key === ATLAS) atlas.push(p);
  });
  return { teacher, atlas };
}

describe('activation atlas on the server (built-in model)', () => {
  let server: TestServer;
  let teacher: TestParticipant;
  let progress: ComputeProgress[];
  const ask = (request: unknown, who = teacher) => who.request<ComputeAccepted>('compute:request', request);
  /** The plain per-layer computation, in this process. */
  const plain = async (request: TopRequest) => {
    await initComputeBackend();
    const env = createServerComputeEnv(tf, await ImageCatalog.discover());
    return runCompute(env, request);
  };

  beforeAll(async () => {
    server = await startServer('sqlite');
    ({ teacher, atlas: progress } = await teacherOn(server.url));
  });
  afterAll(async () => {
    teacher.close();
    await server.stop();
  });

  it('is built in the background on first use, with progress, and stored once', async () => {
    const first = top('conv2', [3, 0], 8);
    const answer = done(await ask(first));
    expect(decodeResult<TopActivatingResult>(answer.result)).toEqual(await plain(first));

    await until(() => progress.some((p) => p.state === 'running' && p.done === p.total), 'the atlas');
    const running = progress.filter((p) => p.state === 'running');
    expect(running.length).toBeGreaterThan(0);
    for (const p of running) {
      if (p.state !== 'running') continue;
      expect(p.total).toBe(200);
      expect(p.done).toBeLessThanOrEqual(200);
    }
    expect(progress.some((p) => p.state === 'failed')).toBe(false);

    const rows = await server.app.db.activationAtlas.findMany();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ modelId: MODEL, imageSetId: SET, status: 'done', done: 200, total: 200 });
    expect(rows[0].bytes?.byteLength).toBeGreaterThan(0);
  });

  it('answers any layer and channels from the atlas, as the plain computation does', async () => {
    for (const request of [top('conv1', [5, 1, 2], 9), top('pool2', [0], 4), top('conv3', [7, 6], 8)]) {
      const started = performance.now();
      const answer = done(await ask(request));
      expect(performance.now() - started).toBeLessThan(200);
      expect(answer.origin).toMatchObject({ where: 'server', cached: false });
      expect(answer.origin.backend).toMatch(/atlas/);
      expect(decodeResult<TopActivatingResult>(answer.result)).toEqual(await plain(request));
    }
    // More images than the atlas keeps: computed the plain way.
    const many = done(await ask(top('conv1', [0], 12)));
    expect(many.origin.backend).not.toMatch(/atlas/);
  });

  it('is read from the database by a restarted server, never built again', async () => {
    const before = await server.app.db.activationAtlas.findMany();
    let other: TestParticipant | null = null;
    let again: Application | null = null;
    teacher.close();
    // One server at a time on an SQLite file: the second migrates it too.
    await server.app.close();
    server.app.close = async () => {};
    try {
      const app = await createApplication({ database: server.database });
      again = app;
      await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
      const url = `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}`;
      const joined = await teacherOn(url);
      other = joined.teacher;
      const request = top('conv2', [1, 4], 8);
      const answer = done(await ask(request, other));
      expect(answer.origin.backend).toMatch(/atlas/);
      expect(decodeResult<TopActivatingResult>(answer.result)).toEqual(await plain(request));
      expect(joined.atlas).toEqual([]);
      const after = await app.db.activationAtlas.findMany();
      expect(after.map((r) => [r.key, r.updatedAt])).toEqual(before.map((r) => [r.key, r.updatedAt]));
    } finally {
      other?.close();
      await again?.close();
    }
  });

  it('is stored by the CLI where the server finds it', async () => {
    const db = await freshDatabase('sqlite');
    let app: Application | null = null;
    let student: TestParticipant | null = null;
    try {
      await promisify(execFile)(
        process.execPath,
        ['--import', 'tsx', 'cli/index.ts', 'atlas', '--set', SET, '--store', '--json'],
        {
          cwd: PROJECT_ROOT,
          env: { ...process.env, CONVLENS_BACKEND: 'wasm', DATABASE_URL: db.config.url },
          maxBuffer: 16 * 2 ** 20,
        },
      );
      const started = await createApplication({ database: db.config });
      app = started;
      await new Promise<void>((resolve) => started.httpServer.listen(0, '127.0.0.1', resolve));
      const joined = await teacherOn(
        `http://127.0.0.1:${(started.httpServer.address() as AddressInfo).port}`,
      );
      student = joined.teacher;
      const request = top('conv3', [2, 9], 9);
      const answer = done(await ask(request, student));
      expect(answer.origin.backend).toMatch(/^cli .*atlas$/);
      expect(decodeResult<TopActivatingResult>(answer.result)).toEqual(await plain(request));
      expect(joined.atlas).toEqual([]);
    } finally {
      student?.close();
      await app?.close();
      await db.drop();
    }
  });
});
