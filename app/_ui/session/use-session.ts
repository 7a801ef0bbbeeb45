'use client';

import { useEffect, useState, useSyncExternalStore } from 'react';
import { type ConnectionSnapshot, IDLE_SNAPSHOT, SessionConnection } from './connection';
import { credentialsStore } from './credentials';

/**
 * Connects this page to a session for as long as it is mounted. The projector's page (`presenter`) keeps
 * its own credentials, apart from the instructor's key that the same browser may hold.
 */
export function useSession(
  joinCode: string,
  presenter = false,
): {
  snapshot: ConnectionSnapshot;
  connection: SessionConnection | null;
} {
  const [connection, setConnection] = useState<SessionConnection | null>(null);

  useEffect(() => {
    const store = credentialsStore(presenter ? 'presenter' : 'participant');
    const conn = new SessionConnection(
      joinCode,
      store.load(joinCode),
      (result) =>
        store.save(joinCode, {
          participantId: result.participantId,
          ...(result.resumeSecret ? { resumeSecret: result.resumeSecret } : {}),
        }),
      undefined,
      presenter,
    );
    setConnection(conn);
    return () => conn.close();
  }, [joinCode, presenter]);

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
