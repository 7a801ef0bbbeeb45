'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectionSnapshot, IDLE_SNAPSHOT, SessionConnection } from './connection';
import { loadCredentials, saveCredentials } from './credentials';

/** Connects this page to a session for as long as it is mounted. */
export function useSession(joinCode: string): {
  snapshot: ConnectionSnapshot;
  connection: SessionConnection | null;
} {
  const [connection, setConnection] = useState<SessionConnection | null>(null);

  useEffect(() => {
    const credentials = loadCredentials(joinCode);
    const conn = new SessionConnection(joinCode, credentials, (result) =>
      saveCredentials(joinCode, {
        participantId: result.participantId,
        ...(result.resumeSecret ? { resumeSecret: result.resumeSecret } : {}),
      }),
    );
    setConnection(conn);
    return () => conn.close();
  }, [joinCode]);

  const snapshot = useSyncExternalStore(
    connection?.subscribe ?? noopSubscribe,
    connection?.getSnapshot ?? (() => IDLE_SNAPSHOT),
    () => IDLE_SNAPSHOT,
  );
  return { snapshot, connection };
}

function noopSubscribe(): () => void {
  return () => {};
}
