'use client';

import { useCallback, useEffect, useState } from 'react';
import type { Action } from '@/lib/protocol/actions';
import { reduce } from '@/lib/session/reducer';
import type { SessionState } from '@/lib/session/state';

/**
 * In "explore freely" a student changes their own view without telling anyone:
 * their actions fold into a private copy of the state with the same reducer.
 * Back in step (or the instructor's "follow me") drops the copy.
 */
export function useFreeExplore(shared: SessionState | null) {
  const [own, setOwn] = useState<SessionState | null>(null);
  const free = shared?.mode === 'free';

  useEffect(() => {
    if (!free) setOwn(null);
  }, [free]);

  const apply = useCallback(
    (action: Action) => {
      if (!shared) return;
      setOwn((current) => {
        const base = { ...(current ?? shared), seq: 0 };
        return reduce(base, { seq: 1, at: new Date().toISOString(), actor: null, body: action });
      });
    },
    [shared],
  );

  // Presence and the like still come from the shared state; only the view is the student's.
  const view = own && shared ? { ...shared, ...pickView(own) } : shared;
  return { view, exploring: own !== null, apply: free ? apply : undefined, backInStep: () => setOwn(null) };
}

function pickView(s: SessionState): Partial<SessionState> {
  const { view, imageId, layer, neuron, channels, occlusion, probe, filters } = s;
  return { view, imageId, layer, neuron, channels, occlusion, probe, filters };
}
