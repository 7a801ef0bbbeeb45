import { describe, expect, it } from 'vitest';
import type { LoggedEvent } from '@/lib/protocol/events';
import { Sequencer } from '@/lib/session/sequencer';
import { initialState } from '@/lib/session/state';

const event = (seq: number): LoggedEvent => ({
  seq,
  at: '2026-01-01T00:00:00.000Z',
  actor: 'i',
  body: { type: 'channels.set', channels: [seq] },
});

describe('Sequencer', () => {
  it('folds events in seq order whatever order they arrive in, once each', () => {
    const s = new Sequencer(initialState());
    s.accept(event(2));
    expect(s.state.seq).toBe(0);
    expect(s.waiting).toBe(true);
    s.accept(event(3));
    s.accept(event(1));
    s.accept(event(2));
    expect(s.state).toMatchObject({ seq: 3, channels: [3] });
    expect(s.waiting).toBe(false);
  });

  it('keeps what follows a fresher state and drops what it covers', () => {
    const s = new Sequencer(initialState());
    s.accept(event(3));
    s.accept(event(5));
    const resumed = new Sequencer(initialState());
    for (const seq of [1, 2, 3, 4]) resumed.accept(event(seq));
    expect(s.reset(resumed.state)).toMatchObject({ seq: 5, channels: [5] });
    expect(s.waiting).toBe(false);
  });
});
