import { describe, expect, it } from 'vitest';
import { IDLE_GAP_MS, IDLE_KEPT_MS, PlayClock } from '@/app/_ui/replay/idle';
import { groupMarkers, type Marker, Timeline } from '@/app/_ui/replay/timeline';
import type { EventBody, LoggedEvent } from '@/lib/protocol/events';
import type { OcclusionTask } from '@/lib/protocol/exercise';

const MINUTE = 60_000;

describe('skip idle', () => {
  it('plays a 43-minute lesson with long pauses in a few minutes at 2×', () => {
    // A burst of activity every 5 minutes (a view change, a few clicks 2 s apart), idle in between.
    const times: number[] = [];
    for (let m = 0; m < 43; m += 5) for (let k = 0; k < 5; k++) times.push(m * MINUTE + k * 2000);
    times.push(43 * MINUTE);
    const plain = new PlayClock(times, false);
    const skipping = new PlayClock(times, true);
    expect(plain.duration).toBe(43 * MINUTE);
    // 9 bursts of 8 s plus 9 idle stretches of IDLE_KEPT_MS: about a minute and a half, 45 s at 2×.
    expect(skipping.duration).toBe(9 * 8000 + 9 * IDLE_KEPT_MS);
    expect(skipping.duration / 2).toBeLessThan(MINUTE);
  });

  it('maps time both ways, monotonically, and leaves busy stretches as they are', () => {
    const times = [0, 1000, 3000, 3000 + 10 * IDLE_GAP_MS, 3000 + 10 * IDLE_GAP_MS + 500];
    const clock = new PlayClock(times, true);
    expect(clock.toPlay(500)).toBe(500);
    expect(clock.toPlay(3000)).toBe(3000);
    // Half the kept time after the event before the stretch, half before the event after it.
    expect(clock.toPlay(3000 + IDLE_KEPT_MS / 2)).toBe(3000 + IDLE_KEPT_MS / 2);
    expect(clock.toPlay(times[3])).toBe(3000 + IDLE_KEPT_MS);
    expect(clock.toPlay(times[3] - 100)).toBe(3000 + IDLE_KEPT_MS - 100);
    let lastPlay = -1;
    let lastTime = -1;
    for (let t = 0; t <= times[4]; t += 250) {
      const p = clock.toPlay(t);
      expect(p).toBeGreaterThanOrEqual(lastPlay);
      lastPlay = p;
    }
    for (let p = 0; p <= clock.duration; p += 50) {
      const t = clock.fromPlay(p);
      expect(t).toBeGreaterThanOrEqual(lastTime);
      expect(clock.toPlay(t)).toBeCloseTo(p, 6);
      lastTime = t;
    }
    // Every event is reached: the event after the idle stretch is where its play time says.
    expect(clock.fromPlay(clock.toPlay(times[3]))).toBe(times[3]);
  });

  it('is the identity when not skipping, and copes with no or one event', () => {
    const clock = new PlayClock([0, 50_000], false);
    expect(clock.fromPlay(20_000)).toBe(20_000);
    expect(new PlayClock([], true).duration).toBe(0);
    expect(new PlayClock([0], true).fromPlay(10)).toBe(0);
  });
});

describe('markers', () => {
  const marker = (t: number, seq: number): Marker => ({ seq, t, kind: 'view', label: `m${seq}` });

  it('groups markers that would overlap, keeping the others apart', () => {
    const groups = groupMarkers(
      [marker(0, 1), marker(5, 2), marker(9, 3), marker(30, 4), marker(100, 5)],
      10,
    );
    expect(groups.map((g) => [g.t, g.markers.map((m) => m.seq)])).toEqual([
      [0, [1, 2, 3]],
      [30, [4]],
      [100, [5]],
    ]);
  });

  it('names exercise steps, uploads and views, and leaves answers out', () => {
    const task: OcclusionTask = {
      kind: 'occlusion',
      modelId: 'mnist-cnn',
      imageId: 'mnist/001-7.png',
      patch: 4,
      stride: 4,
      fill: 'grey',
      classIndex: null,
      rows: 7,
      cols: 7,
      topN: 5,
    };
    const bodies: [string | null, EventBody][] = [
      [null, { type: 'session.created', title: 'T', modelId: 'mnist-cnn' }],
      ['t', { type: 'participant.joined', participantId: 't', name: 'Instructor', role: 'instructor' }],
      ['a', { type: 'participant.joined', participantId: 'a', name: 'Ada', role: 'student' }],
      ['t', { type: 'image.set', imageId: `uploads/${'f'.repeat(32)}.png` }],
      ['t', { type: 'view.set', view: 'occlusion' }],
      ['t', { type: 'exercise.start', task, prompt: 'Where?', seconds: 60 }],
      ['a', { type: 'exercise.answer', exercise: 6, answer: { kind: 'occlusion', cells: [1] } }],
      ['t', { type: 'exercise.reveal', exercise: 6 }],
      [
        't',
        {
          type: 'exercise.revealed',
          exercise: 6,
          truth: { kind: 'occlusion', classIndex: 7, baseProb: 0.9, topCells: [1], threshold: 0.5 },
          results: [
            {
              participantId: 'a',
              answer: { kind: 'occlusion', cells: [1] },
              score: { kind: 'occlusion', score: 1, hits: 1, near: 0, rho: null },
            },
          ],
        },
      ],
      ['t', { type: 'exercise.leaderboard', exercise: 6, shown: true }],
    ];
    const events: LoggedEvent[] = bodies.map(([actor, body], i) => ({
      seq: i + 1,
      at: new Date(Date.UTC(2026, 0, 1, 9, 0, i * 10)).toISOString(),
      actor,
      body,
    }));
    const markers = new Timeline(events).markers();
    expect(markers.map((m) => [m.kind, m.label])).toEqual([
      ['join', 'Ada joined'],
      ['upload', 'Uploaded photo'],
      ['view', 'View: occlusion'],
      ['exercise', 'Exercise 1: asked'],
      ['exercise', 'Exercise 1: revealed'],
      ['exercise', 'Exercise 1: leaderboard'],
    ]);
    expect(markers[1].imageId).toMatch(/^uploads\//);
    expect(markers[4].t).toBe(80_000);
  });
});
