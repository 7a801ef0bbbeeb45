import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

describe('the projector joins as a presenter', () => {
  let server: TestServer;
  const open: TestParticipant[] = [];

  beforeAll(async () => {
    server = await startServer('sqlite');
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

  it('follows the session, takes no part, and sees what the instructor shows or hides', async () => {
    const session = await createSession(server.url);
    const teacher = await join({ joinCode: session.joinCode, instructorKey: session.instructorKey });
    const projector = await join({ joinCode: session.joinCode, presenter: true });
    expect(projector.state?.display).toEqual({ joinCode: true, explain: true });
    expect(projector.state?.participants[projector.participantId]).toMatchObject({
      role: 'presenter',
      name: 'Projector',
    });

    const refused = await projector.act({
      type: 'display.set',
      display: { joinCode: false, explain: false },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const ack = await teacher.act({ type: 'display.set', display: { joinCode: false, explain: true } });
    if (!ack.ok) throw new Error(ack.error.message);
    const state = await projector.until(ack.value.seq);
    expect(state.display).toEqual({ joinCode: false, explain: true });

    // Reloading the projector resumes the same participant.
    const again = await join({
      joinCode: session.joinCode,
      presenter: true,
      participantId: projector.participantId,
      resumeSecret: projector.resumeSecret,
    });
    expect(again.participantId).toBe(projector.participantId);
  });

  it('refuses a presenter join that carries the instructor key', async () => {
    const session = await createSession(server.url);
    await expect(
      join({ joinCode: session.joinCode, presenter: true, instructorKey: session.instructorKey }),
    ).rejects.toThrow(/bad-request/);
  });
});
