'use client';

import { useEffect, useRef, useState } from 'react';
import type { ComputeBackendName } from '@/lib/protocol/primitives';
import type { SessionState } from '@/lib/session/state';
import { BrowserCompute } from '../compute/browser-compute';
import { ComputeClient } from '../compute/compute-client';
import type { SessionConnection } from './connection';

/**
 * One compute client per connection; it reports where this tab's results come from as presence: the origin
 * of each result, and at once when the session switches where it computes (the browser's measured backend,
 * or the server), so presence never says "server" while this browser computes.
 */
export function useComputeClient(
  connection: SessionConnection | null,
  state: SessionState | null,
): ComputeClient | null {
  const [client, setClient] = useState<ComputeClient | null>(null);
  const tools = useRef<{ browser: BrowserCompute; report: (backend: ComputeBackendName) => void } | null>(
    null,
  );
  const where = useRef<'server' | 'browser'>('server');
  where.current = state?.compute ?? 'server';
  const mode = state?.compute ?? 'server';
  const modelId = state?.modelId;

  useEffect(() => {
    if (!connection) return;
    const browser = new BrowserCompute();
    let reported: ComputeBackendName | null = null;
    const report = (backend: ComputeBackendName) => {
      if (backend === reported) return;
      reported = backend;
      connection.say({ backend });
    };
    tools.current = { browser, report };
    setClient(
      new ComputeClient(
        connection,
        browser,
        () => where.current,
        (origin) => report(origin.where === 'server' ? 'server' : (origin.backend as ComputeBackendName)),
      ),
    );
    return () => {
      tools.current = null;
      browser.terminate();
    };
  }, [connection]);

  useEffect(() => {
    const current = tools.current;
    if (!client || !current) return;
    if (mode === 'server') {
      current.report('server');
      return;
    }
    let live = true;
    current.browser.backend(modelId).then(
      (backend) => live && current.report(backend),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [client, mode, modelId]);

  return client;
}
