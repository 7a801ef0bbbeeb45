// SessionRoom, the authority of one session, on a real SQLite log. Two rooms on one session stand for two
// servers: the store's unique (session, seq) decides which append wins, and the loser catches up and retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventBody, LoggedEvent } from '@/lib/protocol/events';
import { SessionRoom } from '@/server/session/room';
import { SessionStore, type StoredSession } from '@/server/session/store';
import { occlusionTask } from '../../helpers/exercise-tasks';
import { openTestDatabase } from '../../helpers/server';

const joined = (
  participantId: string,
  name: string,
  role: 'student' | 'instructor' = 'student',
): EventBody => ({
  type: 'participant.joined',
  participantId,
  name,
  role,
});

describe('a session room', () => {
  let store: SessionStore;
  let close: () => Promise<void>;

  beforeAll(async () => {
    const database = await openTestDatabase();
    close = database.close;
    store = new SessionStore(database.db);
  });
  afterAll(() => close());

  async function openSession(): Promise<StoredSession> {
    const { session } = await store.open({ title: 'Room test', modelId: 'mnist-cnn' });
    const room = await SessionRoom.load(session, store);
    await room.append(null, { type: 'session.created', title: 'Room test', modelId: 'mnist-cnn' });
    return session;
  }

  it('appends in order, stores before it announces, and answers catch-up from the log', async () => {
    const session = await openSession();
    const room = await SessionRoom.load(session, store);
    const heard: LoggedEvent[] = [];
    room.onEvent((event) => heard.push(event));
    const appended = await Promise.all([
      room.append('t', joined('t', 'Teacher', 'instructor')),
      room.append('a', joined('a', 'Ada')),
      room.append('t', { type: 'view.set', view: 'filters' }),
    ]);
    expect(appended.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(heard.map((e) => e.seq)).toEqual([2, 3, 4]);
    expect((await store.events(session.id)).map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(room.state).toMatchObject({ seq: 4, view: 'filters' });
    expect(room.eventsAfter(2)?.map((e) => e.seq)).toEqual([3, 4]);
    expect(room.eventsAfter(5)).toBeNull();
  });

  it('retries an append that lost its seq to another server, after folding what that server stored', async () => {
    const session = await openSession();
    const here = await SessionRoom.load(session, store);
    const there = await SessionRoom.load(session, store);
    const heardHere: number[] = [];
    here.onEvent((event) => heardHere.push(event.seq));

    await there.append('a', joined('a', 'Ada'));
    // `here` still believes the log ends at seq 1: its append conflicts on seq 2, then lands at seq 3.
    const ben = await here.append('b', joined('b', 'Ben'));
    expect(ben.seq).toBe(3);
    expect(Object.keys(here.state.participants).sort()).toEqual(['a', 'b']);
    // The other server's event was folded, not announced again (its clients heard it from that server).
    expect(heardHere).toEqual([3]);
    expect((await store.events(session.id)).map((e) => [e.seq, e.actor])).toEqual([
      [1, null],
      [2, 'a'],
      [3, 'b'],
    ]);
    await there.refresh();
    expect(there.state).toEqual(here.state);
  });

  it('leaves state, log and listeners untouched when the reducer refuses an event', async () => {
    const session = await openSession();
    const room = await SessionRoom.load(session, store);
    await room.append('t', joined('t', 'Teacher', 'instructor'));
    await room.append('t', { type: 'exercise.start', task: occlusionTask(), prompt: 'Where?', seconds: 60 });
    const before = structuredClone(room.state);
    const heard: LoggedEvent[] = [];
    room.onEvent((event) => heard.push(event));

    // The instructor does not answer their own exercise: the reducer refuses, nothing is stored.
    const refused = room.append('t', {
      type: 'exercise.answer',
      exercise: before.seq,
      answer: { kind: 'occlusion', cells: [1] },
    });
    await expect(refused).rejects.toThrow('only students answer');
    expect(room.state).toEqual(before);
    expect(heard).toEqual([]);
    expect(room.allEvents()).toHaveLength(before.seq);
    expect(await store.events(session.id)).toHaveLength(before.seq);

    // The room goes on: the next append takes the seq the refused one did not.
    const next = await room.append('t', { type: 'view.set', view: 'filters' });
    expect(next.seq).toBe(before.seq + 1);
  });

  it('is idle only with nothing queued, nobody connected, and no activity for the idle time', async () => {
    const session = await openSession();
    const room = await SessionRoom.load(session, store);
    const now = room.lastActive;
    expect(room.isIdle(1000, now + 999)).toBe(false);
    expect(room.isIdle(1000, now + 1000)).toBe(true);
    room.connected('a');
    expect(room.isIdle(1000, room.lastActive + 5000)).toBe(false);
    room.disconnected('a');
    expect(room.isIdle(1000, room.lastActive + 5000)).toBe(true);
  });
});
