'use client';

import { useEffect, useMemo, useRef, useState } from 'react';
import { PlayClock } from './idle';

/**
 * A play head over the recording (ms from its first event) that advances at `speed` while playing; with
 * "skip idle", through the play clock that shortens idle stretches.
 */
export function usePlayback(times: readonly number[]) {
  const [t, setT] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
  const [skipIdle, setSkipIdle] = useState(true);
  const clock = useMemo(() => new PlayClock(times, skipIdle), [times, skipIdle]);
  const duration = times.at(-1) ?? 0;
  const last = useRef<number | null>(null);

  useEffect(() => {
    if (!playing) {
      last.current = null;
      return;
    }
    let frame = requestAnimationFrame(function step(now) {
      const elapsed = last.current === null ? 0 : now - last.current;
      last.current = now;
      setT((current) => {
        const next = Math.min(duration, clock.fromPlay(clock.toPlay(current) + elapsed * speed));
        if (next >= duration) setPlaying(false);
        // Never backwards: fromPlay lands inside a skipped stretch at its far side.
        return Math.max(current, next);
      });
      frame = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, duration, clock]);

  return {
    t,
    playing,
    speed,
    setSpeed,
    skipIdle,
    setSkipIdle,
    /** How long the whole recording plays at this speed. */
    playDuration: clock.duration / speed,
    seek: (to: number) => setT(Math.max(0, Math.min(duration, to))),
    toggle: () => {
      if (!playing && t >= duration) setT(0);
      setPlaying(!playing);
    },
  };
}
