// A server SIGKILLed while instructors write loses no event it acknowledged (issue 10): after each kill a new
// process on the same database serves a gap-free log holding every acknowledged action at its seq.
// CONVLENS_KILLS sets the kills per database (default 2; each restart costs a process start and a migrate).
import { describe, expect, it } from 'vitest';
import { VIEWS, type View } from '@/lib/protocol/actions';
import type { SessionExport } from '@/lib/protocol/replay';
import type { Response } from '@/lib/protocol/socket';
import { seededRandom } from '../helpers/random';
import { freshDatabase } from '../helpers/server';
import { spawnServer } from '../helpers/server-process';
import { createSession, TestParticipant } from '../helpers/session-client';

const KILLS = Number(process.env.CONVLENS_KILLS ?? 2);
const WRITERS = 3;

async function exportedLog(url: string, joinCode: string, key: string): Promise<SessionExport['events']> {
  const res = await fetch(`${url}/api/sessions/${joinCode}/export`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as SessionExport).events;
}

describe.each(['sqlite', 'postgres'] as const)('SIGKILL on %s', (kind) => {
  it(`loses no acknowledged event over ${KILLS} kills`, async () => {
    const random = seededRandom(kind === 'sqlite' ? 11 : 29);
    const database = await freshDatabase(kind);
    let server = await spawnServer(database.config);
    const { joinCode, instructorKey } = await createSession(server.url);
    const acknowledged = new Map<number, View>();
    try {
      for (let kill = 0; kill < KILLS; kill++) {
        const teacher = await TestParticipant.join(server.url, { joinCode, instructorKey });
        const gone = new Promise<null>((resolve) => teacher.socket.once('disconnect', () => resolve(null)));
        const ackedBefore = acknowledged.size;
        let stopped = false;
        const writers = Array.from({ length: WRITERS }, async (_, writer) => {
          for (let i = 0; !stopped; i++) {
            const view = VIEWS[(i + writer) % VIEWS.length];
            const answer = await Promise.race<Response<{ seq: number }> | null>([
              teacher.act({ type: 'view.set', view }),
              gone,
            ]);
            if (answer === null) return;
            if (answer.ok) acknowledged.set(answer.value.seq, view);
          }
        });
        // Kill at a random moment once writes are flowing: mid-transaction, between appends, during an ack.
        while (acknowledged.size < ackedBefore + 5) await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 20 + Math.floor(random() * 400)));
        await server.kill('SIGKILL');
        stopped = true;
        await Promise.all(writers);
        teacher.close();
        server = await spawnServer(database.config);
      }

      const events = await exportedLog(server.url, joinCode, instructorKey);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const bySeq = new Map(events.map((e) => [e.seq, e.body]));
      const lost = [...acknowledged].filter(([seq, view]) => {
        const body = bySeq.get(seq);
        return body?.type !== 'view.set' || body.view !== view;
      });
      expect(lost).toEqual([]);
      expect(acknowledged.size).toBeGreaterThanOrEqual(KILLS * 5);
    } finally {
      await server.kill('SIGKILL');
      await database.drop();
    }
  }, 600_000);
});
