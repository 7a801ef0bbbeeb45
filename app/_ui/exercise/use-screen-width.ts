'use client';

import { useEffect } from 'react';
import type { PresenceUpdate } from '@/lib/protocol/presence';

const SETTLE_MS = 500;

/** Tells the session this window's width (after a resize settles): the exercise starter sizes cells by it. */
export function useReportScreenWidth(connection: { say(update: PresenceUpdate): void } | null): void {
  useEffect(() => {
    if (!connection) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const report = () => connection.say({ screenWidth: Math.max(100, Math.round(window.innerWidth)) });
    const onResize = () => {
      clearTimeout(timer);
      timer = setTimeout(report, SETTLE_MS);
    };
    report();
    window.addEventListener('resize', onResize);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('resize', onResize);
    };
  }, [connection]);
}
