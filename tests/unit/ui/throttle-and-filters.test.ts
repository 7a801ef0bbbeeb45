import { describe, expect, it } from 'vitest';
import {
  duplicatePartners,
  identityOrder,
  matrixCellAt,
  permuteMatrix,
} from '@/app/_ui/viz/filters-geometry';
import { type Clock, throttle } from '@/app/_ui/viz/throttle';

function fakeClock() {
  let time = 0;
  let timers: { at: number; fn: () => void; id: number }[] = [];
  let nextId = 1;
  const clock: Clock = {
    now: () => time,
    setTimeout: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: time + ms, fn, id });
      return id;
    },
    clearTimeout: (id) => {
      timers = timers.filter((t) => t.id !== id);
    },
  };
  const advance = (ms: number) => {
    time += ms;
    const due = timers.filter((t) => t.at <= time);
    timers = timers.filter((t) => t.at > time);
    for (const t of due) t.fn();
  };
  return { clock, advance };
}

describe('throttle', () => {
  it('calls at once, then at most once per interval, and always delivers the last call', () => {
    const { clock, advance } = fakeClock();
    const calls: number[] = [];
    const send = throttle((v: number) => calls.push(v), 50, clock);
    send(1);
    send(2);
    send(3);
    expect(calls).toEqual([1]);
    advance(49);
    expect(calls).toEqual([1]);
    advance(1);
    expect(calls).toEqual([1, 3]);
    advance(100);
    send(4);
    expect(calls).toEqual([1, 3, 4]);
  });

  it('flushes or cancels a pending call', () => {
    const { clock, advance } = fakeClock();
    const calls: number[] = [];
    const send = throttle((v: number) => calls.push(v), 50, clock);
    send(1);
    send(2);
    send.flush();
    expect(calls).toEqual([1, 2]);
    send(3);
    send.cancel();
    advance(100);
    expect(calls).toEqual([1, 2]);
  });
});

describe('similarity matrix helpers', () => {
  const matrix = Float32Array.from([1, 0.2, 0.9, 0.2, 1, 0.1, 0.9, 0.1, 1]);

  it('permutes rows and columns together', () => {
    expect([...permuteMatrix(matrix, 3, [0, 2, 1])].map((v) => +v.toFixed(2))).toEqual([
      1, 0.9, 0.2, 0.9, 1, 0.1, 0.2, 0.1, 1,
    ]);
    expect(permuteMatrix(matrix, 3, identityOrder(3))).toEqual(matrix);
  });

  it('maps a pointer to a matrix cell', () => {
    expect(matrixCellAt({ y: 0, x: 299 }, 3, 300)).toEqual({ row: 0, col: 2 });
    expect(matrixCellAt({ y: 150, x: 99.9 }, 3, 300)).toEqual({ row: 1, col: 0 });
    expect(matrixCellAt({ y: 300, x: 0 }, 3, 300)).toBeNull();
  });

  it('lists each duplicated filter with its partners', () => {
    const partners = duplicatePartners([
      { i: 0, j: 2, cosine: 0.95 },
      { i: 2, j: 5, cosine: -0.93 },
    ]);
    expect(partners.get(2)).toEqual([0, 5]);
    expect(partners.get(0)).toEqual([2]);
    expect(partners.has(1)).toBe(false);
  });
});
