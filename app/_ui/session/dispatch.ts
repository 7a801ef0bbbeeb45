'use client';

import { useCallback, useMemo, useRef, useState } from 'react';
import { type Action, type ActionType, mayPerform } from '@/lib/protocol/actions';
import type { Role } from '@/lib/protocol/primitives';
import type { ProtocolError, Response } from '@/lib/protocol/socket';

/** The server's acknowledgement of an action (or this browser's, for a private exploration step). */
export type Ack = Response<{ seq: number }>;

export interface DispatchOptions {
  /** The caller shows a refusal itself, next to the control that sent it. */
  inline?: boolean;
}

/** The one way a screen acts on a session: it resolves with the acknowledgement, refusals included. */
export type Dispatch = (action: Action, options?: DispatchOptions) => Promise<Ack>;

export interface Refusal {
  id: number;
  action: ActionType;
  error: ProtocolError;
}

/** Where an action goes: the session's socket, and for an exploring student their private copy. */
export interface DispatchTargets {
  send: ((action: Action) => Promise<Ack>) | null;
  role: Role | null;
  /** Present while a student may explore on their own: view changes stay on their screen. */
  explore?: (action: Action) => void;
}

const MAX_SHOWN = 3;

/** Plain words for an action, in a refusal: "Could not change the view". */
const WHAT: Partial<Record<ActionType, string>> = {
  'view.set': 'change the view',
  'model.set': 'change the model',
  'image.set': 'change the image',
  'layer.set': 'change the layer',
  'neuron.set': 'pick the neuron',
  'neuron.pin': 'pin the neuron',
  'neuron.unpin': 'unpin the neuron',
  'occlusion.set': 'change the occlusion settings',
  'filters.set': 'change the filter display',
  'featureVis.set': 'start the feature visualisation',
  'probe.set': 'move the patch',
  'mode.set': 'change follow/explore',
  'display.set': 'show or hide the join code or the explanations',
  'compute.set': 'change where results are computed',
  'exercise.start': 'start the exercise',
  'exercise.answer': 'send your answer',
  'exercise.reveal': 'reveal the exercise',
  'exercise.leaderboard': 'show or hide the leaderboard',
  'exercise.dismiss': 'put the exercise away',
};

export function refusalText(refusal: Pick<Refusal, 'action' | 'error'>): string {
  const what = WHAT[refusal.action] ?? refusal.action;
  if (refusal.error.code === 'not-joined') return `Could not ${what}: not connected. Reconnecting…`;
  if (refusal.error.code === 'rate-limited') return `Could not ${what}: too many changes at once; try again.`;
  return `Could not ${what}: ${refusal.error.message}`;
}

/**
 * Builds the screen's dispatch. The instructor's actions and a student's own
 * answers go to the server and resolve with its acknowledgement; view changes
 * of an exploring student fold into their private copy; anything else is
 * refused here. Refusals are kept for the screen to show, unless the caller
 * shows them inline.
 */
export function useDispatch(targets: DispatchTargets): {
  dispatch: Dispatch;
  refusals: Refusal[];
  dismiss: (id: number) => void;
} {
  const [refusals, setRefusals] = useState<Refusal[]>([]);
  const next = useRef(1);
  const latest = useRef(targets);
  latest.current = targets;

  const dispatch = useCallback<Dispatch>(async (action, options = {}) => {
    const { send, role, explore } = latest.current;
    let ack: Ack;
    if (role !== 'instructor' && !mayPerform('student', action.type) && explore) {
      explore(action);
      ack = { ok: true, value: { seq: 0 } };
    } else if (role !== 'instructor' && !mayPerform('student', action.type)) {
      ack = { ok: false, error: { code: 'forbidden', message: 'the instructor drives this session' } };
    } else if (!send) {
      ack = { ok: false, error: { code: 'not-joined', message: 'not connected' } };
    } else {
      ack = await send(action);
    }
    if (!ack.ok && !options.inline) {
      const refusal = { id: next.current++, action: action.type, error: ack.error };
      setRefusals((shown) => [...shown, refusal].slice(-MAX_SHOWN));
    }
    return ack;
  }, []);

  const dismiss = useCallback((id: number) => setRefusals((shown) => shown.filter((r) => r.id !== id)), []);
  return useMemo(() => ({ dispatch, refusals, dismiss }), [dispatch, refusals, dismiss]);
}
