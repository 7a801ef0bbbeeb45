import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeAccepted, ComputeRequest } from '@/lib/protocol/compute';
import type { LessonPrepProgress } from '@/lib/protocol/lesson-prep';
import type { Response } from '@/lib/protocol/socket';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const image = 'mnist/003-0.png';
const occlusion: ComputeRequest = {
  kind: 'occlusion',
  modelId: 'mnist-cnn',
  imageId: image,
  patch: 4,
  stride: 2,
  fill: 'grey',
  classIndex: null,
};

describe('preparing a lesson ahead', () => {
  let server: TestServer;
  let teacher: TestParticipant;
  let student: TestParticipant;

  beforeAll(async () => {
    server = await startServer('sqlite', { computeWorkers: 1 });
    const session = await createSession(server.url);
    teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    student = await TestParticipant.join(server.url, { joinCode: session.joinCode, name: 'Ada' });
  });
  afterAll(async () => {
    teacher.close();
    student.close();
    await server.stop();
  });

  function prepare(
    request: unknown,
  ): Promise<{ ack: Response<{ steps: number }>; last: LessonPrepProgress }> {
    return new Promise((resolve) => {
      let ack: Response<{ steps: number }> | undefined;
      const onProgress = (progress: LessonPrepProgress) => {
        if (progress.state === 'running' || !ack) return;
        teacher.socket.off('compute:prepared', onProgress);
        resolve({ ack, last: progress });
      };
      teacher.socket.on('compute:prepared', onProgress);
      teacher.socket.emit('compute:prepare', request, (response) => {
        ack = response;
        if (!response.ok)
          resolve({ ack: response, last: { state: 'done', total: 0, done: 0, stored: 0, failed: [] } });
      });
    });
  }
  const ask = (request: ComputeRequest) => student.request<ComputeAccepted>('compute:request', request);

  it("computes every result of the session's history, then the lecture only reads stored results", async () => {
    await teacher.act({ type: 'model.set', modelId: 'mnist-cnn' });
    await teacher.act({ type: 'image.set', imageId: image });
    await teacher.act({
      type: 'occlusion.set',
      params: { patch: 4, stride: 2, fill: 'grey', classIndex: null },
    });
    await teacher.act({ type: 'view.set', view: 'occlusion' });
    await teacher.act({ type: 'view.set', view: 'filters' });

    const first = await prepare({ source: 'history' });
    expect(first.ack).toMatchObject({ ok: true });
    expect(first.last).toMatchObject({ state: 'done', failed: [] });
    // model-info, predict, the occlusion map and the first layer's filters at least.
    expect(first.last.total).toBeGreaterThanOrEqual(4);
    expect(first.last.done).toBe(first.last.total);

    const answer = await ask(occlusion);
    expect(answer).toMatchObject({ ok: true, value: { status: 'done', origin: { cached: true } } });

    // Nothing is computed twice: a second preparation finds every result stored.
    const again = await prepare({ source: 'history' });
    expect(again.last).toMatchObject({ state: 'done', failed: [] });
    expect(again.last.stored).toBe(again.last.total);
  });

  it('computes a saved plan, and refuses students and malformed plans', async () => {
    const plan = {
      source: 'plan',
      steps: [{ modelId: 'mnist-cnn', imageId: 'mnist/004-1.png', view: 'occlusion' }],
    };
    const prepared = await prepare(plan);
    expect(prepared.ack).toMatchObject({ ok: true, value: { steps: 1 } });
    expect(prepared.last).toMatchObject({ state: 'done', failed: [] });
    const planned = await ask({ ...occlusion, imageId: 'mnist/004-1.png', patch: 8, stride: 4 });
    expect(planned).toMatchObject({ ok: true, value: { status: 'done', origin: { cached: true } } });

    const bad = await prepare({ source: 'plan', steps: [] });
    expect(bad.ack).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const refused = await new Promise<Response<unknown>>((resolve) =>
      student.socket.emit('compute:prepare', { source: 'history' }, resolve),
    );
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });
});
