'use client';

import { useState } from 'react';
import type { Action } from '@/lib/protocol/actions';
import type { ProtocolError } from '@/lib/protocol/socket';
import type { SessionConnection } from '../session/connection';

/** Sends exercise actions and keeps the server's answer: busy while waiting, the error if it refused. */
export function useSend(connection: SessionConnection | null) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ProtocolError | null>(null);
  const send = async (action: Action): Promise<boolean> => {
    if (!connection) return false;
    setBusy(true);
    setError(null);
    const response = await connection.act(action);
    setBusy(false);
    if (!response.ok) setError(response.error);
    return response.ok;
  };
  return { send, busy, error };
}
