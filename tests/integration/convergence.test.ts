import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Action } from '@/lib/protocol/actions';
import { pick, seededRandom } from '../helpers/random';
import { startServer, type TestServer } from '../helpers/server';
import { createSession, TestParticipant } from '../helpers/session-client';

// Failing seeds found so far are kept here as regressions.
const SEEDS = [1, 99, 31337];

function instructorAction(random: () => number): Action {
  const n = () => Math.floor(random() * 8);
  return pick(random, [
    (): Action => ({
      type: 'view.set',
      view: pick(random, ['receptive-field', 'filters', 'occlusion'] as const),
    }),
    (): Action => ({ type: 'layer.set', layer: pick(random, ['conv1', 'conv2']) }),
    (): Action => ({ type: 'neuron.set', neuron: { layer: 'conv1', channel: n(), y: n(), x: n() } }),
    (): Action => ({ type: 'probe.set', probe: { y: n(), x: n() } }),
    (): Action => ({ type: 'channels.set', channels: [n()] }),
  ])();
}

describe('convergence under random changes and dropped students', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startServer('sqlite');
  });
  afterAll(async () => server.stop());

  it.each(SEEDS)('every student folds to the server state (seed %i)', async (seed) => {
    const random = seededRandom(seed);
    const session = await createSession(server.url, `fuzz ${seed}`);
    const teacher = await TestParticipant.join(server.url, {
      joinCode: session.joinCode,
      instructorKey: session.instructorKey,
    });
    const students = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        TestParticipant.join(server.url, { joinCode: session.joinCode, name: `S${i}` }),
      ),
    );
    const dropped = new Set<number>();
    for (let step = 0; step < 80; step++) {
      const roll = random();
      const i = Math.floor(random() * students.length);
      if (roll < 0.15 && !dropped.has(i)) {
        students[i].close();
        dropped.add(i);
      } else if (roll < 0.3 && dropped.has(i)) {
        students[i] = await TestParticipant.resume(server.url, session.joinCode, students[i]);
        dropped.delete(i);
      } else {
        // Several changes in flight at once, as a fast instructor sends them.
        await Promise.all(
          Array.from({ length: 1 + Math.floor(random() * 3) }, () => teacher.act(instructorAction(random))),
        );
      }
    }
    for (const i of dropped)
      students[i] = await TestParticipant.resume(server.url, session.joinCode, students[i]);
    await server.app.sessions.drain();
    const stored = await server.app.sessions.findByJoinCode(session.joinCode);
    const room = await server.app.sessions.room(stored!);
    for (const s of [teacher, ...students]) {
      expect(await s.until(room.state.seq)).toEqual(room.state);
      s.close();
    }
  });
});
