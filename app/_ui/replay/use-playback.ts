'use client';

import { useEffect, useRef, useState } from 'react';

/** A play head over [0, duration] ms that advances at `speed` while playing. */
export function usePlayback(duration: number) {
  const [t, setT] = useState(0);
  const [playing, setPlaying] = useState(false);
  const [speed, setSpeed] = useState(1);
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
        const next = Math.min(duration, current + elapsed * speed);
        if (next >= duration) setPlaying(false);
        return next;
      });
      frame = requestAnimationFrame(step);
    });
    return () => cancelAnimationFrame(frame);
  }, [playing, speed, duration]);

  return {
    t,
    playing,
    speed,
    setSpeed,
    seek: (to: number) => setT(Math.max(0, Math.min(duration, to))),
    toggle: () => {
      if (!playing && t >= duration) setT(0);
      setPlaying(!playing);
    },
  };
}
