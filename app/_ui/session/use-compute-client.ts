'use client';

import { useEffect, useRef, useState } from 'react';
import type { ComputeBackendName } from '@/lib/protocol/primitives';
import type { SessionState } from '@/lib/session/state';
import { BrowserCompute } from '../compute/browser-compute';
import { ComputeClient } from '../compute/compute-client';
import type { SessionConnection } from './connection';

/** One compute client per connection; it reports where this tab's results come from as presence. */
export function useComputeClient(
  connection: SessionConnection | null,
  state: SessionState | null,
): ComputeClient | null {
  const [client, setClient] = useState<ComputeClient | null>(null);
  const where = useRef<'server' | 'browser'>('server');
  where.current = state?.compute ?? 'server';

  useEffect(() => {
    if (!connection) return;
    const browser = new BrowserCompute();
    let reported: ComputeBackendName | null = null;
    const report = (backend: ComputeBackendName) => {
      if (backend === reported) return;
      reported = backend;
      connection.say({ backend });
    };
    setClient(
      new ComputeClient(
        connection,
        browser,
        () => where.current,
        (origin) => report(origin.where === 'server' ? 'server' : (origin.backend as ComputeBackendName)),
      ),
    );
    return () => browser.terminate();
  }, [connection]);

  return client;
}
