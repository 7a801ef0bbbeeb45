// Who may drive a session: whoever holds its instructor key. One check, used by sockets and HTTP alike.
import { SessionError } from './errors';
import { keyMatches } from './keys';
import type { StoredSession } from './store';

/** Whether `key` is this session's instructor key. */
export function instructorKeyOpens(session: Pick<StoredSession, 'instructorKeyHash'>, key: string): boolean {
  return keyMatches(key, session.instructorKeyHash);
}

/** Throws `unauthorized` without a key and `forbidden` for a wrong one. */
export function requireInstructorKey(
  session: Pick<StoredSession, 'instructorKeyHash'>,
  key: string | undefined,
): void {
  if (!key) throw new SessionError('unauthorized', 'send the instructor key (Authorization: Bearer <key>)');
  if (!instructorKeyOpens(session, key)) {
    throw new SessionError('forbidden', 'that instructor key does not open this session');
  }
}
