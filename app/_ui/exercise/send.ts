'use client';

import { useState } from 'react';
import type { Action } from '@/lib/protocol/actions';
import type { ProtocolError } from '@/lib/protocol/socket';
import type { Dispatch } from '../session/dispatch';

/**
 * Sends exercise actions through the screen's dispatch and keeps the answer
 * beside the button: busy while waiting, the refusal if there was one.
 */
export function useSend(dispatch: Dispatch | undefined) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProtocolError | null>(null);
  const send = async (action: Action): Promise<boolean> => {
    if (!dispatch) return false;
    setBusy(true);
    setError(null);
    const ack = await dispatch(action, { inline: true });
    setBusy(false);
    if (!ack.ok) setError(ack.error);
    return ack.ok;
  };
  return { send, busy, error };
}
