import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '@/lib/protocol/actions';
import type { ReplayLog } from '@/lib/protocol/replay';
import { type Application, createApplication } from '@/server/app';
import { freshDatabase } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Two ConvLens servers on one PostgreSQL database and one Redis, as behind a load balancer. */
describe('two servers sharing Redis and PostgreSQL', () => {
  const servers: { app: Application; url: string }[] = [];
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase('postgres');
    drop = db.drop;
    const stream = `convlens-test-${process.pid}-${Date.now()}`;
    for (let i = 0; i < 2; i++) {
      const app = await createApplication({
        database: db.config,
        redisUrl: REDIS_URL,
        redisStream: stream,
        computeWorkers: 0,
      });
      await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
      servers.push({ app, url: `http://127.0.0.1:${(app.httpServer.address() as AddressInfo).port}` });
    }
  });
  afterAll(async () => {
    for (const s of servers) await s.app.close();
    await drop();
  });

  it('a change on one server reaches students on the other, and late joiners there see it', async () => {
    const [a, b] = servers;
    const session = await createSession(a.url, 'Clustered');
    const teacher = await TestParticipant.join(a.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const student = await TestParticipant.join(b.url, { joinCode: session.joinCode, name: 'Remote' });
    const ack = await teacher.act({ type: 'view.set', view: 'filters' });
    const seq = ack.ok ? ack.value.seq : -1;
    expect((await student.until(seq)).view).toBe('filters');

    const late = await TestParticipant.join(b.url, { joinCode: session.joinCode, name: 'Late' });
    expect(late.state?.view).toBe('filters');
    for (const p of [teacher, student, late]) p.close();
  });

  it('instructors on both servers append concurrently; the log stays gap-free and everyone converges', async () => {
    const [a, b] = servers;
    const session = await createSession(a.url, 'Two consoles');
    const join = (url: string) =>
      TestParticipant.join(url, { joinCode: session.joinCode, instructorKey: session.instructorKey });
    const [onA, onB] = [await join(a.url), await join(b.url)];
    const watcher = await TestParticipant.join(b.url, { joinCode: session.joinCode, name: 'Watcher' });
    const acts: Promise<unknown>[] = [];
    for (let i = 0; i < 15; i++) {
      const action: Action = { type: 'channels.set', channels: [i] };
      acts.push(onA.act(action), onB.act({ ...action, channels: [100 + i] }));
    }
    const acks = (await Promise.all(acts)) as { ok: boolean }[];
    expect(acks.filter((r) => !r.ok)).toEqual([]);

    const res = await fetch(`${a.url}/api/replays/${session.joinCode}`, {
      headers: { authorization: `Bearer ${session.instructorKey}` },
    });
    const log = (await res.json()) as ReplayLog;
    expect(log.events.map((e) => e.seq)).toEqual(log.events.map((_, i) => i + 1));
    const last = log.events.at(-1)!.seq;
    const states = await Promise.all([onA, onB, watcher].map((p) => p.until(last)));
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    for (const p of [onA, onB, watcher]) p.close();
  });
});
