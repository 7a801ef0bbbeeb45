import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthReport, HttpErrorBody } from '@/lib/protocol/http';
import type { JoinResult } from '@/lib/protocol/socket';
import { PROTOCOL_VERSION } from '@/lib/protocol/version';
import { connect, postJson, startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

describe.each(['sqlite', 'postgres'] as const)('classroom over real sockets on %s', (kind) => {
  let server: TestServer;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    server = await startServer(kind);
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

  it('reports health with the database kind and compute backend', async () => {
    const res = await fetch(`${server.url}/api/health`);
    const health = (await res.json()) as HealthReport;
    expect(res.status).toBe(200);
    expect(health).toMatchObject({ ok: true, db: kind, dbOk: true, version: '0.1.0' });
  });

  it('validates session bodies with field errors', async () => {
    const { status, body } = await postJson<HttpErrorBody>(`${server.url}/api/sessions`, { title: '' });
    expect(status).toBe(400);
    expect(body.error.fields?.title?.[0]).toMatch(/required/);
    const huge = await postJson<HttpErrorBody>(`${server.url}/api/sessions`, { title: 'x'.repeat(70_000) });
    expect(huge.status).toBe(413);
  });

  it('broadcasts the instructor change to every student, stored before acknowledged', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const students = await Promise.all(
      ['Ada', 'Ben', 'Cy'].map((name) => join({ joinCode: session.joinCode, name })),
    );
    const ack = await teacher.act({ type: 'view.set', view: 'occlusion' });
    expect(ack.ok).toBe(true);
    const seq = ack.ok ? ack.value.seq : -1;
    const stored = await server.app.db.event.findFirst({ where: { sessionId: session.sessionId, seq } });
    expect(stored?.type).toBe('view.set');
    const teacherState = await teacher.until(seq);
    for (const student of students) {
      const state = await student.until(seq);
      expect(state.view).toBe('occlusion');
      expect(state).toEqual(teacherState);
    }
    // The three joined concurrently, so only the set of names is fixed.
    const names = Object.values(teacher.state!.participants).map((p) => p.name);
    expect(names.sort()).toEqual(['Ada', 'Ben', 'Cy', 'Instructor']);
  });

  it('refuses a student who tries to drive, and a wrong instructor key', async () => {
    const session = await createSession(server.url);
    const student = await join({ joinCode: session.joinCode, name: 'Eve' });
    const res = await student.act({ type: 'view.set', view: 'filters' });
    expect(res).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'only the instructor may send view.set' },
    });
    await expect(join({ joinCode: session.joinCode, instructorKey: 'x'.repeat(32) })).rejects.toThrow(
      /forbidden/,
    );
  });

  it('answers malformed, unknown and out-of-order messages with named errors and stays up', async () => {
    const session = await createSession(server.url);
    const socket = await connect(server.url);
    const early = await new Promise((resolve) =>
      socket.emit('session:act', { type: 'view.set', view: 'filters' }, resolve),
    );
    expect(early).toMatchObject({ ok: false, error: { code: 'not-joined' } });
    const bad = await new Promise((resolve) => socket.emit('session:join', { joinCode: 42 }, resolve));
    expect(bad).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    const old = await new Promise((resolve) =>
      socket.emit('session:join', { protocolVersion: 0, joinCode: session.joinCode, name: 'Old' }, resolve),
    );
    expect(old).toMatchObject({ ok: false, error: { code: 'client-too-old' } });
    const unknown = new Promise((resolve) => socket.once('session:error', resolve));
    (socket.emit as (e: string, p: unknown) => void)('drop:tables', {});
    expect(await unknown).toMatchObject({ code: 'unknown-event' });
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const malformed: Record<string, unknown> = { type: 'occlusion.set', params: { patch: -1 } };
    const badAction = await teacher.act(malformed);
    expect(badAction).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    socket.close();
  });

  it('rate-limits a flooding socket without touching the others', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const results = await Promise.all(
      Array.from({ length: 120 }, (_, i) => teacher.act({ type: 'channels.set', channels: [i % 5] })),
    );
    expect(results.some((r) => !r.ok && r.error.code === 'rate-limited')).toBe(true);
    const other = await join({ joinCode: session.joinCode, name: 'Calm' });
    expect(other.state?.seq).toBeGreaterThan(0);
  });

  it('oversized messages close only the sender', async () => {
    const session = await createSession(server.url);
    const student = await join({ joinCode: session.joinCode, name: 'Quiet' });
    const flooder = await connect(server.url);
    const closed = new Promise((resolve) => flooder.once('disconnect', resolve));
    flooder.emit('session:act', { type: 'x', blob: 'y'.repeat(400_000) }, () => {});
    await closed;
    expect(student.socket.connected).toBe(true);
  });

  it('resumes a reconnecting student from its last seq, and a late joiner from a snapshot', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const student = await join({ joinCode: session.joinCode, name: 'Rae' });
    const lastSeq = student.state!.seq;
    student.close();
    await teacher.act({ type: 'layer.set', layer: 'conv1' });
    const ack = await teacher.act({ type: 'view.set', view: 'filters' });
    const seq = ack.ok ? ack.value.seq : -1;

    const back = await connect(server.url);
    const resumed = await new Promise<{ ok: boolean; value: JoinResult }>((resolve) =>
      back.emit(
        'session:join',
        {
          protocolVersion: PROTOCOL_VERSION,
          joinCode: session.joinCode,
          participantId: student.participantId,
          resumeSecret: student.resumeSecret,
          lastSeq,
        },
        resolve as never,
      ),
    );
    back.close();
    expect(resumed.ok).toBe(true);
    expect(resumed.value.participantId).toBe(student.participantId);
    expect(resumed.value.kind).toBe('events');
    if (resumed.value.kind !== 'events') return;
    const types = resumed.value.events.map((e) => e.body.type);
    expect(types).toContain('layer.set');
    expect(resumed.value.events[0].seq).toBe(lastSeq + 1);

    const late = await join({ joinCode: session.joinCode, name: 'Late' });
    expect(late.state).toMatchObject({ view: 'filters', layer: 'conv1' });
    expect(late.state!.seq).toBeGreaterThan(seq);
  });

  it('reloads a session from the stored log after a restart', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const unknown = await teacher.act({ type: 'image.set', imageId: 'mnist/7.png' });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    await teacher.act({ type: 'image.set', imageId: 'mnist/001-7.png' });
    const expected = (await teacher.until(3)).imageId;
    expect(expected).toBe('mnist/001-7.png');
    const { SessionService } = await import('@/server/session/service');
    const { SessionStore } = await import('@/server/session/store');
    const fresh = new SessionService(new SessionStore(server.app.db));
    const stored = await fresh.findByJoinCode(session.joinCode);
    const room = await fresh.room(stored!);
    expect(room.state.imageId).toBe(expected);
    expect(room.state).toEqual({ ...teacher.state, participants: room.state.participants });
  });
});

describe('models a session may name', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => server.stop());

  it('refuses paths, URLs and models this server does not have, at creation and in model.set', async () => {
    for (const modelId of ['../../etc', '/etc/passwd', 'https://example.com/model.json', 'no-such-model']) {
      const { status } = await postJson(`${server.url}/api/sessions`, { title: 'x', modelId });
      expect(status, modelId).toBe(400);
    }
    const session = await createSession(server.url);
    const teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    expect(await teacher.act({ type: 'model.set', modelId: 'no-such-model' })).toMatchObject({
      ok: false,
      error: { code: 'bad-request', message: 'this server has no model "no-such-model"' },
    });
    const computed = await teacher.request('compute:request', { kind: 'model-info', modelId: 'tmp' });
    expect(computed).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    teacher.close();
  });
});
