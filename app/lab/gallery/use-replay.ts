'use client';

import { useCallback, useEffect, useRef, useState } from 'react';
import type { ComputeJobState } from '@/lib/protocol/compute';

/** A fake progress counter from 0 to `total` over `ms`, restartable; null when finished. */
export function useReplay(total: number, ms: number) {
  const [done, setDone] = useState<number | null>(null);
  const timer = useRef<ReturnType<typeof setInterval> | null>(null);
  const stop = useCallback(() => {
    if (timer.current) clearInterval(timer.current);
    timer.current = null;
  }, []);
  const start = useCallback(() => {
    stop();
    const began = Date.now();
    setDone(0);
    timer.current = setInterval(() => {
      const value = Math.min(total, Math.round(((Date.now() - began) / ms) * total));
      setDone(value >= total ? null : value);
      if (value >= total) stop();
    }, 100);
  }, [total, ms, stop]);
  useEffect(() => stop, [stop]);
  const progress: ComputeJobState | null = done === null ? null : { state: 'running', done, total };
  return { progress, start };
}
