import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { truthRequest } from '@/lib/exercises/requests';
import type { Action } from '@/lib/protocol/actions';
import { type ComputeRequest, resultKey } from '@/lib/protocol/compute';
import type { CreateSessionResult, HttpErrorBody } from '@/lib/protocol/http';
import type { ReplayLog, ReplayShare, SessionExport, SessionListing } from '@/lib/protocol/replay';
import { reduce } from '@/lib/session/reducer';
import { initialState, type SessionState } from '@/lib/session/state';
import { longOcclusion } from '../helpers/compute-requests';
import { occlusionTask } from '../helpers/exercise-tasks';
import { pick, seededRandom } from '../helpers/random';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const IMAGES = ['mnist/000-4.png', 'mnist/001-7.png', 'mnist/002-6.png'];

function randomAction(random: () => number): Action {
  const n = () => Math.floor(random() * 6);
  return pick(random, [
    (): Action => ({
      type: 'view.set',
      view: pick(random, ['receptive-field', 'top-activating', 'filters', 'occlusion'] as const),
    }),
    (): Action => ({ type: 'image.set', imageId: pick(random, IMAGES) }),
    (): Action => ({ type: 'layer.set', layer: pick(random, ['conv1', 'conv2', 'pool1']) }),
    (): Action => ({ type: 'neuron.set', neuron: { layer: 'conv1', channel: n(), y: n(), x: n() } }),
    (): Action => ({ type: 'neuron.pin', neuron: { layer: 'conv2', channel: n(), y: 0, x: 0 } }),
    (): Action => ({ type: 'neuron.unpin', neuron: { layer: 'conv2', channel: n(), y: 0, x: 0 } }),
    (): Action => ({ type: 'probe.set', probe: random() < 0.3 ? null : { y: n(), x: n() } }),
    (): Action => ({
      type: 'occlusion.set',
      params: { patch: 4 + n(), stride: 2 + n(), fill: 'grey', classIndex: null },
    }),
    (): Action => ({ type: 'mode.set', mode: pick(random, ['follow', 'free'] as const) }),
    (): Action => ({ type: 'channels.set', channels: [n(), n()] }),
  ])();
}

async function getJson<T>(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(url, { headers });
  return { status: res.status, body: (await res.json()) as T };
}

describe('replays', () => {
  let server: TestServer;
  let session: CreateSessionResult;
  const auth = () => ({ authorization: `Bearer ${session.instructorKey}` });

  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => {
    await server.stop();
  });

  it.each([7, 42, 2026])(
    'folding the stored log gives the live state at every seq (seed %i)',
    async (seed) => {
      const random = seededRandom(seed);
      session = await createSession(server.url, `Seed ${seed}`);
      const teacher = await TestParticipant.join(server.url, {
        joinCode: session.joinCode,
        instructorKey: session.instructorKey,
      });
      const live = new Map<number, SessionState>([[teacher.state!.seq, teacher.state!]]);
      teacher.socket.on('session:event', () => live.set(teacher.state!.seq, teacher.state!));
      const students: TestParticipant[] = [];
      for (let step = 0; step < 60; step++) {
        const roll = random();
        if (roll < 0.1) {
          students.push(
            await TestParticipant.join(server.url, { joinCode: session.joinCode, name: `S${step}` }),
          );
        } else if (roll < 0.15 && students.length > 0) {
          students.splice(Math.floor(random() * students.length), 1)[0].close();
        } else {
          const ack = await teacher.act(randomAction(random));
          expect(ack.ok).toBe(true);
        }
      }
      for (const s of students) s.close();
      await server.app.sessions.drain();
      const { body: log } = await getJson<ReplayLog>(`${server.url}/api/replays/${session.joinCode}`, auth());
      await teacher.until(log.events.at(-1)!.seq);
      teacher.close();

      let state = initialState();
      for (const event of log.events) {
        state = reduce(state, event);
        const seen = live.get(event.seq);
        if (seen) expect(state).toEqual(seen);
      }
      expect(live.size).toBeGreaterThan(50);
    },
  );

  it('opens with the instructor key or a share link, and a revoked link stops working', async () => {
    session = await createSession(server.url, 'Shared');
    const url = `${server.url}/api/replays/${session.joinCode}`;
    expect((await getJson<HttpErrorBody>(url)).status).toBe(401);
    expect((await getJson<HttpErrorBody>(url, { authorization: `Bearer ${'x'.repeat(32)}` })).status).toBe(
      403,
    );
    const created = await fetch(`${server.url}/api/sessions/${session.joinCode}/shares`, {
      method: 'POST',
      headers: auth(),
    });
    const share = (await created.json()) as ReplayShare;
    expect(created.status).toBe(201);
    const viaShare = await getJson<ReplayLog>(`${url}?share=${share.token}`);
    expect(viaShare.status).toBe(200);
    expect(viaShare.body.events[0].body.type).toBe('session.created');
    const revoke = await fetch(`${server.url}/api/sessions/${session.joinCode}/shares/${share.token}`, {
      method: 'DELETE',
      headers: auth(),
    });
    expect(revoke.status).toBe(204);
    expect((await getJson<HttpErrorBody>(`${url}?share=${share.token}`)).status).toBe(403);
  });

  it('a share link hides answers to exercises not yet revealed; the instructor sees them', async () => {
    session = await createSession(server.url, 'Quiz');
    const teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const student = await TestParticipant.join(server.url, { joinCode: session.joinCode, name: 'Gus' });
    const task = occlusionTask({ imageId: IMAGES[0] });
    const started = await teacher.act({ type: 'exercise.start', task, prompt: 'Where?', seconds: 60 });
    const exercise = started.ok ? started.value.seq : -1;
    expect(
      (await student.act({ type: 'exercise.answer', exercise, answer: { kind: 'occlusion', cells: [7, 8] } }))
        .ok,
    ).toBe(true);
    await server.app.sessions.drain();

    const share = (await (
      await fetch(`${server.url}/api/sessions/${session.joinCode}/shares`, {
        method: 'POST',
        headers: auth(),
      })
    ).json()) as ReplayShare;
    const types = async (headers: Record<string, string>, query = '') =>
      (
        await getJson<ReplayLog>(`${server.url}/api/replays/${session.joinCode}${query}`, headers)
      ).body.events.map((e) => e.body.type);
    expect(await types({}, `?share=${share.token}`)).toContain('exercise.answered');
    expect(await types({}, `?share=${share.token}`)).not.toContain('exercise.answer');
    expect(await types(auth())).toContain('exercise.answer');

    // Nor does a share link compute the exercise's truth before the reveal; the instructor may, and other
    // grids of the image are not the answer.
    const compute = (headers: Record<string, string>, request: ComputeRequest) =>
      fetch(`${server.url}/api/replays/${session.joinCode}/compute`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(request),
      });
    const viaShare = { 'x-share-token': share.token };
    const truth = truthRequest(task);
    const refused = await compute(viaShare, truth);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as HttpErrorBody).error).toMatchObject({
      code: 'forbidden',
      message: /exercise not yet revealed/,
    });
    expect((await compute(auth(), truth)).status).toBe(200);
    expect((await compute(viaShare, { ...truth, stride: 5 })).status).toBe(200);
    expect((await teacher.act({ type: 'exercise.reveal', exercise })).ok).toBe(true);
    await server.app.sessions.drain();
    expect((await compute(viaShare, truth)).status).toBe(200);

    // An imported copy has the exercise and the answer in its tables too, not only in its log.
    const file = await (
      await fetch(`${server.url}/api/sessions/${session.joinCode}/export`, { headers: auth() })
    ).json();
    const imported = await fetch(`${server.url}/api/sessions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    const copy = (await imported.json()) as CreateSessionResult;
    const stored = await server.app.db.session.findUnique({
      where: { joinCode: copy.joinCode },
      include: { exercises: { include: { predictions: true } } },
    });
    expect(stored?.exercises).toHaveLength(1);
    expect(stored?.exercises[0].predictions.map((p) => JSON.parse(p.answer))).toEqual([
      { kind: 'occlusion', cells: [7, 8] },
    ]);
    teacher.close();
    student.close();
  });

  it("stops a replay viewer's job when the viewer goes away", async () => {
    session = await createSession(server.url, 'Long');
    const request = longOcclusion(4);
    const asked = vi.spyOn(server.app.compute, 'request');
    const release = vi.spyOn(server.app.compute, 'release');
    const leaving = new AbortController();
    const answer = fetch(`${server.url}/api/replays/${session.joinCode}/compute`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: JSON.stringify(request),
      signal: leaving.signal,
    }).catch((error: Error) => error);
    await vi.waitFor(() => expect(asked).toHaveBeenCalled());
    leaving.abort();
    expect(await answer).toBeInstanceOf(Error);
    await vi.waitFor(() =>
      expect(release).toHaveBeenCalledWith(resultKey(request), expect.stringMatching(/^replay-/)),
    );
    asked.mockRestore();
    release.mockRestore();
  });

  it('limits how fast one address asks a replay for results', async () => {
    const strict = await startServer('sqlite', { limits: { computeRequests: { points: 2, seconds: 60 } } });
    try {
      const own = await createSession(strict.url, 'Strict');
      const ask = () =>
        fetch(`${strict.url}/api/replays/${own.joinCode}/compute`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${own.instructorKey}` },
          body: JSON.stringify({ kind: 'model-info', modelId: 'mnist-cnn' }),
        });
      expect((await ask()).status).toBe(200);
      expect((await ask()).status).toBe(200);
      const refused = await ask();
      expect(refused.status).toBe(429);
      expect(((await refused.json()) as HttpErrorBody).error.code).toBe('rate-limited');
    } finally {
      await strict.stop();
    }
  });

  it("lists the instructor's past sessions with their students", async () => {
    const mine = await createSession(server.url, 'Listed');
    const student = await TestParticipant.join(server.url, { joinCode: mine.joinCode, name: 'Ana' });
    student.close();
    const res = await fetch(`${server.url}/api/sessions/listings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        sessions: [
          { joinCode: mine.joinCode, instructorKey: mine.instructorKey },
          { joinCode: 'ZZZZZZ', instructorKey: 'y'.repeat(32) },
        ],
      }),
    });
    const { sessions } = (await res.json()) as { sessions: SessionListing[] };
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ joinCode: mine.joinCode, title: 'Listed', students: 1 });
  });

  it('exports a session to one file and imports it to an identical log; missing assets are named', async () => {
    session = await createSession(server.url, 'Portable');
    const teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    await teacher.act({ type: 'image.set', imageId: IMAGES[1] });
    await teacher.act({ type: 'view.set', view: 'occlusion' });
    teacher.close();
    await server.app.sessions.drain();

    const exported = await fetch(`${server.url}/api/sessions/${session.joinCode}/export`, {
      headers: auth(),
    });
    expect(exported.headers.get('content-disposition')).toMatch(/attachment/);
    const file = (await exported.json()) as SessionExport;
    expect(file.assets.images.map((i) => i.id)).toEqual([IMAGES[1]]);
    expect(file.assets.models.map((m) => m.id)).toEqual(['mnist-cnn']);

    const imported = await fetch(`${server.url}/api/sessions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(file),
    });
    expect(imported.status).toBe(201);
    const copy = (await imported.json()) as CreateSessionResult;
    const { body: log } = await getJson<ReplayLog>(`${server.url}/api/replays/${copy.joinCode}`, {
      authorization: `Bearer ${copy.instructorKey}`,
    });
    expect(log.events).toEqual(file.events);

    const tampered: SessionExport = {
      ...file,
      assets: {
        ...file.assets,
        images: [{ id: 'uploads/missing.png', sha256: '0'.repeat(64) }, ...file.assets.images],
      },
      events: [
        ...file.events,
        {
          seq: file.events.length + 1,
          at: new Date().toISOString(),
          actor: null,
          body: { type: 'image.set', imageId: 'uploads/missing.png' },
        },
      ],
    };
    const refused = await fetch(`${server.url}/api/sessions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(tampered),
    });
    const error = (await refused.json()) as HttpErrorBody;
    expect(refused.status).toBe(422);
    expect(error.error.message).toContain('uploads/missing.png (not on this server)');
    expect(error.error.fields?.images).toEqual(['uploads/missing.png']);
  });
});
