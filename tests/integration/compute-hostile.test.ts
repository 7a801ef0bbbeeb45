// Hostile and careless clients against the compute tier (issue 10, items 4 and 6; issue 11):
// each case here was accepted, or broke something, before the compute bounds existed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeAccepted, ComputeProgress, ComputeRequest } from '@/lib/protocol/compute';
import { resultKey } from '@/lib/protocol/compute';
import type { Response } from '@/lib/protocol/socket';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';
import { waitFor } from '../helpers/wait';

const TRAPPING_ENTRY = new URL('../helpers/trapping-worker-entry.mjs', import.meta.url);

function occlusion(patch: number, classIndex: number | null = null): ComputeRequest {
  return {
    kind: 'occlusion',
    modelId: 'mnist-cnn',
    imageId: 'mnist/000-4.png',
    patch,
    stride: 1,
    fill: 'grey',
    classIndex,
  };
}

describe('hostile clients cannot monopolise or break server compute', () => {
  let server: TestServer;
  let joinCode: string;
  let teacher: TestParticipant;
  const progress: ComputeProgress[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite', {
      computeWorkers: 2,
      computeWorkerEntry: TRAPPING_ENTRY,
      // The built-in model is 28×28: patch 1, stride 1 is 784 positions.
      computeLimits: { maxForwardPasses: 750 },
    });
    const session = await createSession(server.url);
    joinCode = session.joinCode;
    teacher = await TestParticipant.join(server.url, { joinCode, instructorKey: session.instructorKey });
    teacher.socket.on('compute:progress', (p) => progress.push(p));
  });
  afterAll(async () => {
    teacher.close();
    await server.stop();
  });

  const student = (name: string) => TestParticipant.join(server.url, { joinCode, name });
  const ask = (who: TestParticipant, request: ComputeRequest) =>
    who.request<ComputeAccepted>('compute:request', request);
  const statesOf = (key: string) => progress.filter((p) => p.key === key).map((p) => p.state);

  it('refuses a request over the forward-pass limit before any work starts', async () => {
    const response = await ask(teacher, occlusion(1));
    expect(response).toMatchObject({ ok: false, error: { code: 'too-costly' } });
    if (!response.ok) expect(response.error.message).toMatch(/784 forward passes; the limit is 750/);
    expect(statesOf(resultKey(occlusion(1)))).not.toContain('running');
  });

  it('refuses a participant who queues more jobs than allowed, and cancels them when it leaves', async () => {
    const flooder = await student('flooder');
    const requests = [0, 1, 2, 3, 4, 5].map((c) => occlusion(2, c));
    const answers: Response<ComputeAccepted>[] = [];
    for (const r of requests) void ask(flooder, r).then((a) => answers.push(a));
    await waitFor(() => answers.length >= 2);
    const refused = answers.filter((a) => !a.ok && a.error.code === 'queue-full');
    expect(refused).toHaveLength(2);
    if (!refused[0].ok) expect(refused[0].error.message).toMatch(/you already wait for 4 results/);

    // Everyone in the session sees the accepted jobs queued or running: never a bare "0 positions".
    const keys = requests.map(resultKey);
    const accepted = keys.filter((k) => ['queued', 'running'].includes(statesOf(k)[0]));
    expect(accepted).toHaveLength(4);
    const failed = keys.filter((k) => !accepted.includes(k));
    for (const key of failed)
      expect(progress.find((p) => p.key === key)).toMatchObject({ state: 'failed', code: 'queue-full' });

    flooder.close();
    await waitFor(() => accepted.every((key) => statesOf(key).includes('cancelled')));
    // The workers are free: a teacher's result comes at once.
    const quick = await ask(teacher, { kind: 'predict', modelId: 'mnist-cnn', imageId: 'mnist/002-6.png' });
    expect(quick).toMatchObject({ ok: true, value: { status: 'done' } });
  });

  it('stops a job its only asker cancels', async () => {
    const request = occlusion(2, 7);
    const key = resultKey(request);
    const answer = ask(teacher, request);
    await waitFor(() => statesOf(key).includes('running'));
    teacher.socket.emit('compute:cancel', { key });
    expect(await answer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await waitFor(() => statesOf(key).includes('cancelled'));
  });

  it('starts the shared view at once however busy exploration keeps the workers, and stops the job of a view the instructor left', async () => {
    await teacher.act({ type: 'model.set', modelId: 'mnist-cnn' });
    await teacher.act({ type: 'image.set', imageId: 'mnist/000-4.png' });
    await teacher.act({
      type: 'occlusion.set',
      params: { patch: 2, stride: 1, fill: 'grey', classIndex: 9 },
    });
    await teacher.act({ type: 'view.set', view: 'occlusion' });
    await ask(teacher, { kind: 'model-info', modelId: 'mnist-cnn' });

    // A student exploring freely fills both workers and the queue behind them.
    await teacher.act({ type: 'mode.set', mode: 'free' });
    const explorer = await student('explorer');
    const explored = [0, 1, 2, 3].map((c) => occlusion(3, c));
    const finished = new Set<string>();
    for (const r of explored) void ask(explorer, r).then((answer) => answer.ok && finished.add(resultKey(r)));
    await waitFor(() => explored.filter((r) => statesOf(resultKey(r)).includes('running')).length === 2);

    // The shared view's map starts at once, on the worker kept for it, ahead of the student's queued jobs;
    // that worker takes none of them.
    const abandoned = occlusion(2, 9);
    const abandonedAnswer = ask(teacher, abandoned);
    await waitFor(() => statesOf(resultKey(abandoned)).length > 0);
    expect(progress.find((p) => p.key === resultKey(abandoned))).toMatchObject({
      key: resultKey(abandoned),
      state: 'running',
    });
    expect(explored.filter((r) => statesOf(resultKey(r)).includes('running'))).toHaveLength(2);
    // …and stops when the instructor changes the settings a moment later.
    await teacher.act({
      type: 'occlusion.set',
      params: { patch: 4, stride: 2, fill: 'grey', classIndex: 9 },
    });
    expect(await abandonedAnswer).toMatchObject({ ok: false, error: { code: 'cancelled' } });
    await waitFor(() => statesOf(resultKey(abandoned)).includes('cancelled'));
    // On a slow machine a running exploration job may finish first; every one still waiting is stopped.
    const unfinished = explored.map(resultKey).filter((key) => !finished.has(key));
    explorer.close();
    expect(unfinished.length).toBeGreaterThanOrEqual(2);
    await waitFor(() => unfinished.every((key) => statesOf(key).includes('cancelled')));
    await teacher.act({ type: 'mode.set', mode: 'follow' });
  });

  it('replaces a worker whose wasm traps: that job fails clearly, other jobs and later requests succeed', async () => {
    const other = await student('other');
    const trapper = await student('trapper');
    const running = ask(other, occlusion(3, 8));
    const trapped = await ask(trapper, { kind: 'predict', modelId: 'mnist-cnn', imageId: 'mnist/029-3.png' });
    expect(trapped).toMatchObject({ ok: false, error: { code: 'compute-failed' } });
    if (!trapped.ok) expect(trapped.error.message).toMatch(/out of memory or a WebAssembly trap/);
    expect(await running).toMatchObject({ ok: true, value: { status: 'done' } });
    const later = await Promise.all(
      ['001-7', '003-0', '004-1'].map((f) =>
        ask(trapper, { kind: 'predict', modelId: 'mnist-cnn', imageId: `mnist/${f}.png` }),
      ),
    );
    for (const answer of later) expect(answer).toMatchObject({ ok: true, value: { status: 'done' } });
    other.close();
    trapper.close();
  });
});
