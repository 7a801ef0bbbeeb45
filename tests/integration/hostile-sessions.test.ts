// A hostile student and a faulty network against the real server (issue 10: identities, sessions, sockets,
// imports, listings). Each case was an attack or an accident that worked before; each is kept as a regression.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HttpErrorBody } from '@/lib/protocol/http';
import type { SessionExport, SessionListingPage } from '@/lib/protocol/replay';
import { MAX_IMPORT_EVENTS } from '@/lib/protocol/replay';
import type { JoinResult, Response } from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { occlusionTask } from '../helpers/exercise-tasks';
import { connect, postJson, startServer, type TestServer, type TestSocket } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const DIGIT = 'mnist/001-7.png';

describe('a hostile student', () => {
  let server: TestServer;
  const open: { close(): void }[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite', {
      limits: {
        socketsPerParticipant: 3,
        sessionCreations: { points: 40, seconds: 600 },
        imports: { points: 6, seconds: 600 },
        unknownEvents: { points: 5, seconds: 60 },
      },
    });
  });
  afterAll(async () => {
    for (const p of open) p.close();
    await server.stop();
  });

  async function join(request: Record<string, unknown>): Promise<TestParticipant> {
    const p = await TestParticipant.join(server.url, request);
    open.push(p);
    return p;
  }

  async function rawJoin(
    request: Record<string, unknown>,
  ): Promise<{ socket: TestSocket; answer: Response<JoinResult> }> {
    const socket = await connect(server.url);
    open.push(socket);
    const answer = await new Promise<Response<JoinResult>>((resolve) =>
      socket.emit('session:join', { protocolVersion: PROTOCOL_VERSION, ...request }, resolve),
    );
    return { socket, answer };
  }

  async function classWithAnswer() {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    await teacher.act({ type: 'image.set', imageId: DIGIT });
    const victim = await join({ joinCode: session.joinCode, name: 'Victim' });
    const task = occlusionTask({ imageId: DIGIT, patch: 7, stride: 7, topN: 3 });
    const started = await teacher.act({ type: 'exercise.start', task, prompt: 'Where?', seconds: 600 });
    if (!started.ok) throw new Error(started.error.message);
    const answered = await victim.act({
      type: 'exercise.answer',
      exercise: started.value.seq,
      answer: { kind: 'occlusion', cells: [1, 2, 3] },
    });
    if (!answered.ok) throw new Error(answered.error.message);
    return { session, teacher, victim, exercise: started.value.seq };
  }

  it('cannot resume as another student with the id every snapshot shows', async () => {
    const { session, teacher, victim, exercise } = await classWithAnswer();
    const spy = await join({ joinCode: session.joinCode, name: 'Spy' });
    // The id is public: the spy's own snapshot lists it.
    expect(Object.keys(spy.state!.participants)).toContain(victim.participantId);

    const bare = await rawJoin({ joinCode: session.joinCode, participantId: victim.participantId });
    expect(bare.answer).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const noName = await rawJoin({
      joinCode: session.joinCode,
      participantId: victim.participantId,
      resumeSecret: 'z'.repeat(32),
    });
    expect(noName.answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const guessed = await rawJoin({
      joinCode: session.joinCode,
      participantId: victim.participantId,
      resumeSecret: 'x'.repeat(32),
      name: 'Victim (me, really)',
    });
    // A wrong secret with a name is simply a new participant: not the victim, no answer, no rename.
    expect(guessed.answer.ok).toBe(true);
    if (!guessed.answer.ok) return;
    expect(guessed.answer.value.participantId).not.toBe(victim.participantId);
    const seen = guessed.answer.value.kind === 'snapshot' ? guessed.answer.value.state : null;
    expect(seen?.exercises[0].answers).toEqual({});
    const overwrite = await new Promise<Response<{ seq: number }>>((resolve) =>
      guessed.socket.emit(
        'session:act',
        { type: 'exercise.answer', exercise, answer: { kind: 'occlusion', cells: [0] } },
        resolve,
      ),
    );
    expect(overwrite.ok).toBe(true);
    const state = await teacher.until(overwrite.ok ? overwrite.value.seq : 0);
    expect(state.participants[victim.participantId].name).toBe('Victim');
    // The server's own copy holds every answer: the victim's is untouched.
    const room = await server.app.sessions.room(
      (await server.app.sessions.findByJoinCode(session.joinCode))!,
    );
    expect(room.state.exercises[0].answers[victim.participantId]).toEqual({
      kind: 'occlusion',
      cells: [1, 2, 3],
    });

    // The victim, with their secret, resumes as themselves and sees their own answer.
    const back = await TestParticipant.resume(server.url, session.joinCode, victim);
    open.push(back);
    expect(back.participantId).toBe(victim.participantId);
    const row = await server.app.db.participant.findUnique({ where: { id: victim.participantId } });
    expect(row?.resumeSecretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row?.resumeSecretHash).not.toBe(victim.resumeSecret);
  });

  it('joins as "constructor" or "__proto__" only as a new participant with its own name', async () => {
    const session = await createSession(server.url);
    for (const participantId of ['constructor', '__proto__', 'toString']) {
      const bare = await rawJoin({ joinCode: session.joinCode, participantId, resumeSecret: 'y'.repeat(20) });
      expect(bare.answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      const named = await join({ joinCode: session.joinCode, participantId, name: `Named ${participantId}` });
      expect(named.participantId).not.toBe(participantId);
      expect(named.state!.participants[named.participantId].name).toBe(`Named ${participantId}`);
    }
  });

  it('refuses names with a lone surrogate or control characters, by name, and stays up', async () => {
    const session = await createSession(server.url);
    for (const name of ['Ann\uD800', '\uDC00Bo', 'Cy\u0000', 'Di\u001b[31m']) {
      const { answer } = await rawJoin({ joinCode: session.joinCode, name });
      expect(answer).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    const title = await postJson<HttpErrorBody>(`${server.url}/api/sessions`, { title: 'Bad \uDFFF title' });
    expect(title.status).toBe(400);
    expect(title.body.error.fields?.title?.[0]).toMatch(/surrogate/);
    // A well-formed astral character is fine.
    const ok = await join({ joinCode: session.joinCode, name: 'Émile 🐢' });
    expect(ok.state!.participants[ok.participantId].name).toBe('Émile 🐢');
  });

  it('holds at most the allowed sockets per participant, and refuses the rest by name', async () => {
    const session = await createSession(server.url);
    const first = await join({ joinCode: session.joinCode, name: 'Tabs' });
    const resume = {
      joinCode: session.joinCode,
      participantId: first.participantId,
      resumeSecret: first.resumeSecret,
    };
    await join(resume);
    await join(resume);
    const fourth = await rawJoin(resume);
    expect(fourth.answer).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
  });

  it('cannot multiply its message budget by opening sockets, and the instructor is not slowed down', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const first = await join({ joinCode: session.joinCode, name: 'Flood' });
    const resume = {
      joinCode: session.joinCode,
      participantId: first.participantId,
      resumeSecret: first.resumeSecret,
    };
    const tabs = [first, await join(resume), await join(resume)];
    const answers = await Promise.all(
      tabs.flatMap((tab) =>
        Array.from(
          { length: 60 },
          (_, i) =>
            new Promise<Response<null>>((resolve) =>
              tab.socket.emit('session:presence', { backend: i % 2 ? 'wasm' : 'webgl' }, resolve),
            ),
        ),
      ),
    );
    const refused = answers.filter((a) => !a.ok);
    // 180 messages against one participant budget of 60 per 2 s.
    expect(refused.length).toBeGreaterThanOrEqual(100);
    expect(refused[0]).toMatchObject({ ok: false, error: { code: 'rate-limited' } });
    const ack = await teacher.act({ type: 'view.set', view: 'filters' });
    expect(ack.ok).toBe(true);
    // Presence is ephemeral: none of it reached the log.
    const logged = await server.app.db.event.count({
      where: { sessionId: session.sessionId, type: { in: ['presence.set', 'participant.connection'] } },
    });
    expect(logged).toBe(0);
  });

  it('disconnects a socket that keeps sending unknown event names; others are untouched', async () => {
    const session = await createSession(server.url);
    const bystander = await join({ joinCode: session.joinCode, name: 'Bystander' });
    const noisy = await connect(server.url);
    open.push(noisy);
    const gone = new Promise((resolve) => noisy.once('disconnect', resolve));
    for (let i = 0; i < 20; i++) (noisy.emit as (e: string, p: unknown) => void)(`junk-${i}`, { i });
    await gone;
    expect(bystander.socket.connected).toBe(true);
  });

  it('checks every shared-view change against the model and the catalog', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const refusals: [string, Record<string, unknown>][] = [
      ['unknown image', { type: 'image.set', imageId: 'mnist/nope.png' }],
      ['image by path', { type: 'image.set', imageId: '../../etc/passwd' }],
      ['unknown layer', { type: 'layer.set', layer: 'conv99' }],
      [
        'neuron outside its layer',
        { type: 'neuron.set', neuron: { layer: 'conv1', channel: 0, y: 500, x: 0 } },
      ],
      [
        'channel outside its layer',
        { type: 'neuron.pin', neuron: { layer: 'conv1', channel: 9999, y: 0, x: 0 } },
      ],
      [
        'patch larger than the input',
        { type: 'occlusion.set', params: { patch: 64, stride: 4, fill: 'grey', classIndex: null } },
      ],
      [
        'class the model lacks',
        { type: 'occlusion.set', params: { patch: 7, stride: 7, fill: 'grey', classIndex: 10 } },
      ],
      ['patch off the image', { type: 'probe.set', probe: { y: -20, x: 3 } }],
    ];
    for (const [what, action] of refusals) {
      const ack = await teacher.act(action);
      expect(ack, what).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    }
    // The patch may hang over the edge by up to half its size (the default patch is 8).
    expect((await teacher.act({ type: 'probe.set', probe: { y: -4, x: 3 } })).ok).toBe(true);
    expect((await teacher.act({ type: 'layer.set', layer: 'conv1' })).ok).toBe(true);
    expect((await teacher.act({ type: 'channels.set', channels: [0, 1] })).ok).toBe(true);
    expect((await teacher.act({ type: 'channels.set', channels: [4000] })).ok).toBe(false);
    // The export of a session whose state was never repaired still works.
    const res = await fetch(`${server.url}/api/sessions/${session.joinCode}/export`, {
      headers: { authorization: `Bearer ${session.instructorKey}` },
    });
    expect(res.status).toBe(200);
  });

  it('drags the patch ephemerally: followers and late joiners see it, only where it lands is logged', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const student = await join({ joinCode: session.joinCode, name: 'Watcher' });
    const before = await server.app.db.event.count({ where: { sessionId: session.sessionId } });
    for (let x = 0; x < 10; x++) {
      const ack = await teacher.request<null>('session:probe', { probe: { y: 3, x } });
      expect(ack.ok).toBe(true);
    }
    const refused = await student.request<null>('session:probe', { probe: { y: 3, x: 3 } });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const late = await join({ joinCode: session.joinCode, name: 'Late' });
    expect(late.joinedEphemeral?.probe).toEqual({ y: 3, x: 9 });
    expect(student.ephemeral.filter((u) => u.type === 'probe').length).toBeGreaterThanOrEqual(9);
    const landed = await teacher.act({ type: 'probe.set', probe: { y: 3, x: 9 } });
    expect(landed.ok).toBe(true);
    const after = await server.app.db.event.count({ where: { sessionId: session.sessionId } });
    // Two joins (the late one) plus the landing: no drag frame.
    expect(after - before).toBe(2);
    const state = await late.until(landed.ok ? landed.value.seq : 0);
    expect(state.probe).toEqual({ y: 3, x: 9 });
  });

  it('tells late joiners who is online, on which backend and who explores, without logging it', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const explorer = await join({ joinCode: session.joinCode, name: 'Explorer' });
    const said = await explorer.request<null>('session:presence', {
      backend: 'wasm',
      following: 'exploring',
      view: 'filters',
    });
    expect(said.ok).toBe(true);
    const late = await join({ joinCode: session.joinCode, name: 'Late' });
    expect(late.joinedEphemeral?.presence[explorer.participantId]).toEqual({
      online: true,
      backend: 'wasm',
      following: 'exploring',
      view: 'filters',
      screenWidth: null,
    });
    explorer.close();
    await expect
      .poll(() =>
        teacher.ephemeral.some(
          (u) => u.type === 'presence' && u.participantId === explorer.participantId && !u.presence.online,
        ),
      )
      .toBe(true);
  });

  it('creates sessions only at the allowed rate per address', async () => {
    const burst = await Promise.all(
      Array.from({ length: 45 }, () =>
        postJson<HttpErrorBody>(`${server.url}/api/sessions`, { title: 'Spam' }),
      ),
    );
    const limited = burst.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].body.error.code).toBe('rate-limited');
    expect(limited[0].body.error.message).toMatch(/try again in \d+ s/);
    // The same wait in the header HTTP clients read.
    const again = await fetch(`${server.url}/api/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'Spam' }),
    });
    expect(again.status).toBe(429);
    const seconds = Number(again.headers.get('retry-after'));
    expect(Number.isInteger(seconds) && seconds >= 1).toBe(true);
    expect(((await again.json()) as HttpErrorBody).error.message).toContain(`try again in ${seconds} s`);
  });
});

describe('imports and listings', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer('sqlite', { limits: { imports: { points: 2, seconds: 600 } } });
  });
  afterAll(async () => server.stop());

  async function exportOf(url: string): Promise<{ file: SessionExport; key: string; code: string }> {
    const session = await createSession(url);
    const res = await fetch(`${url}/api/sessions/${session.joinCode}/export`, {
      headers: { authorization: `Bearer ${session.instructorKey}` },
    });
    return { file: (await res.json()) as SessionExport, key: session.instructorKey, code: session.joinCode };
  }

  const post = (url: string, body: unknown) =>
    fetch(`${url}/api/sessions/import`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('refuses an out-of-range date, a log over the event cap and broken JSON, and leaves no session behind', async () => {
    const { file } = await exportOf(server.url);
    const sessionsBefore = await server.app.db.session.count();
    const farFuture = structuredClone(file);
    farFuture.events[0].at = '+275760-09-13T00:00:00.000Z';
    const badDate = await post(server.url, farFuture);
    expect(badDate.status).toBe(422);
    const body = (await badDate.json()) as HttpErrorBody;
    expect(body.error.code).toBe('unprocessable');
    expect(JSON.stringify(body.error.fields)).toMatch(/1970 and 9999|datetime/i);

    const long = structuredClone(file);
    const last = long.events.at(-1)!;
    for (let seq = last.seq + 1; long.events.length <= MAX_IMPORT_EVENTS; seq++) {
      long.events.push({ seq, at: last.at, actor: null, body: { type: 'view.set', view: 'filters' } });
    }
    const tooLong = await post(server.url, long);
    expect(tooLong.status).toBe(422);
    expect(JSON.stringify(await tooLong.json())).toMatch(/at most 50000 events/);

    // The import budget (2 here) is spent: the next one is refused before it is read.
    const limited = await post(server.url, '{');
    expect(limited.status).toBe(429);
    expect(await server.app.db.session.count()).toBe(sessionsBefore);
  });

  it('lists sessions a page at a time, counted without folding their logs', async () => {
    const made = await Promise.all(Array.from({ length: 5 }, () => createSession(server.url)));
    const entries = made.map((s) => ({ joinCode: s.joinCode, instructorKey: s.instructorKey }));
    entries.push({ joinCode: made[0].joinCode, instructorKey: 'wrong-key-wrong-key' });
    const first = await postJson<SessionListingPage>(`${server.url}/api/sessions/listings`, {
      sessions: entries,
      pageSize: 2,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ page: 0, pageSize: 2, total: 5 });
    expect(first.body.sessions).toHaveLength(2);
    const third = await postJson<SessionListingPage>(`${server.url}/api/sessions/listings`, {
      sessions: entries,
      pageSize: 2,
      page: 2,
    });
    expect(third.body.sessions).toHaveLength(1);
    expect(third.body.sessions[0]).toMatchObject({ events: 1, students: 0, exercises: 0 });
    const tooBig = await postJson<HttpErrorBody>(`${server.url}/api/sessions/listings`, {
      sessions: entries,
      pageSize: 500,
    });
    expect(tooBig.status).toBe(400);
  });
});

describe('rooms', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startServer('sqlite', { roomIdleMs: 1000 });
  });
  afterAll(async () => server.stop());

  it('drops a room nobody is in, and loads it again from the log', async () => {
    const session = await createSession(server.url);
    const teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const ack = await teacher.act({ type: 'view.set', view: 'occlusion' });
    expect(ack.ok).toBe(true);
    // Still connected: never idle, however long nothing happens.
    const later = () => performance.now() + 60_000;
    expect(await server.app.sessions.evictIdle(later())).toBe(0);
    teacher.close();
    await expect
      .poll(async () => server.app.sessions.evictIdle(later()).then(() => server.app.sessions.loadedRooms))
      .toBe(0);
    const back = await TestParticipant.join(server.url, { joinCode: session.joinCode, name: 'Later' });
    expect(back.state).toMatchObject({ view: 'occlusion' });
    back.close();
  });
});
