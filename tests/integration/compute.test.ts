import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResult } from '@/lib/compute/codec';
import { runCompute } from '@/lib/compute/run';
import type { FiltersResult, PredictResult } from '@/lib/compute/types';
import { type ComputeAccepted, type ComputeRequest, resultKey } from '@/lib/protocol/compute';
import type { Response } from '@/lib/protocol/socket';
import type { OcclusionMap } from '@/lib/viz';
import { ImageCatalog } from '@/server/catalog/images';
import { initComputeBackend, tf } from '@/server/compute/backend';
import { createServerComputeEnv } from '@/server/compute/env';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

// The built-in digits CNN (28×28, 10 classes) and its images: no packs needed, so CI always runs this.
const MODEL = 'mnist-cnn';
const image = 'mnist/001-7.png';

describe('server compute over sockets', () => {
  let server: TestServer;
  let teacher: TestParticipant;

  beforeAll(async () => {
    server = await startServer('sqlite');
    const session = await createSession(server.url);
    teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
  });
  afterAll(async () => {
    teacher.close();
    await server.stop();
  });

  const ask = (request: unknown) => teacher.request<ComputeAccepted>('compute:request', request);

  function done(response: Response<ComputeAccepted>) {
    if (!response.ok) throw new Error(response.error.message);
    if (response.value.status !== 'done') throw new Error(response.value.reason);
    return response.value;
  }

  it('computes on a worker thread, then answers the same request from its cache', async () => {
    const request: ComputeRequest = { kind: 'predict', modelId: MODEL, imageId: image };
    const first = done(await ask(request));
    expect(first.origin).toMatchObject({ where: 'server', cached: false });
    const result = decodeResult<PredictResult>(first.result);
    expect(result.probs).toBeInstanceOf(Float32Array);
    expect(result.probs.length).toBe(10);
    expect(result.probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    const second = done(await ask(request));
    expect(second.origin.cached).toBe(true);
    expect(second.key).toBe(first.key);
  });

  it('gives the same occlusion map as the shared code run in this process', async () => {
    const request: ComputeRequest = {
      kind: 'occlusion',
      modelId: MODEL,
      imageId: image,
      patch: 4,
      // 13×13 cells: more than a coarse map's 64, so a coarse map comes first.
      stride: 2,
      fill: 'grey',
      classIndex: null,
    };
    const partials: unknown[] = [];
    teacher.socket.on('compute:partial', (p) => partials.push(p));
    const remote = decodeResult<OcclusionMap>(done(await ask(request)).result);
    expect(remote).toMatchObject({ rows: 13, cols: 13 });
    expect(partials.length).toBe(1);

    await initComputeBackend();
    const env = createServerComputeEnv(tf, await ImageCatalog.discover());
    const local = await runCompute(env, request);
    expect(remote.classIndex).toBe(local.classIndex);
    for (let i = 0; i < local.prob.length; i++) expect(remote.prob[i]).toBeCloseTo(local.prob[i], 5);
  });

  it('sends results with many arrays (filters: a tile per filter) in one binary attachment', async () => {
    const response = done(await ask({ kind: 'filters', modelId: MODEL, layer: 'conv1' }));
    const result = decodeResult<FiltersResult>(response.result);
    expect(result.tiles).toHaveLength(16);
    expect(result.similarity.matrix).toHaveLength(256);
    expect(teacher.socket.connected).toBe(true);
  });

  it('refuses malformed requests and reports what could not be computed', async () => {
    const bad = await ask({ kind: 'occlusion', modelId: MODEL });
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    // An image the server does not have is refused before any worker takes the job (and loads the model).
    const unknown: ComputeRequest = {
      kind: 'occlusion',
      modelId: MODEL,
      imageId: 'mnist/nope.png',
      patch: 8,
      stride: 4,
      fill: 'grey',
      classIndex: null,
    };
    const states: string[] = [];
    teacher.socket.on('compute:progress', (p) => p.key === resultKey(unknown) && states.push(p.state));
    const missing = await ask(unknown);
    expect(missing).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    if (!missing.ok)
      expect(missing.error.message).toMatch(
        /unknown image "mnist\/nope.png" \(not in this server's catalog\)/,
      );
    expect(states).not.toContain('running');
  });

  it('answers "unavailable" when the session computes in the browsers', async () => {
    await teacher.act({ type: 'compute.set', where: 'browser' });
    const response = await ask({
      kind: 'predict',
      modelId: MODEL,
      imageId: 'mnist/002-6.png',
    });
    expect(response).toMatchObject({ ok: true, value: { status: 'unavailable' } });
    await teacher.act({ type: 'compute.set', where: 'server' });
  });
});

describe('stored results', () => {
  it('answers from the database after a restart, without computing again', async () => {
    const first = await startServer('sqlite');
    const request: ComputeRequest = {
      kind: 'predict',
      modelId: MODEL,
      imageId: 'mnist/003-0.png',
    };
    const fresh = await first.app.compute.request(request);
    expect(fresh).toMatchObject({ status: 'done', origin: { cached: false } });
    const { ComputeService } = await import('@/server/compute/service');
    const { DatabaseResultStore } = await import('@/server/compute/result-store');
    const noPool = new ComputeService(
      null,
      { enabled: false, maxPending: 1, cacheBytes: 1e6 },
      new DatabaseResultStore(first.app.db),
    );
    const again = await noPool.request(request);
    expect(again).toMatchObject({ status: 'done', origin: { cached: true } });
    if (again.status === 'done' && fresh.status === 'done') {
      expect(decodeResult<PredictResult>(again.result).probs).toEqual(
        decodeResult<PredictResult>(fresh.result).probs,
      );
    }
    await first.stop();
  });
});
