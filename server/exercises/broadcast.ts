import { isPrivateEvent, redactEvent } from '../../lib/exercises/redact';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { IoServer } from '../socket';

/** The Socket.io room of one participant's connections (all their tabs) within a session. */
export function participantRoom(sessionRoom: string, participantId: string): string {
  return `${sessionRoom}/participant/${participantId}`;
}

/**
 * Announces a logged event to a session. An answer goes whole to its author's
 * connections and, to everyone else (the instructor too: their screen is
 * often on the projector), as a count-only copy with the same seq.
 */
export function emitSessionEvent(io: IoServer, sessionRoom: string, event: LoggedEvent): void {
  if (!isPrivateEvent(event) || !event.actor) {
    io.to(sessionRoom).emit('session:event', event);
    return;
  }
  const author = participantRoom(sessionRoom, event.actor);
  io.to(author).emit('session:event', event);
  io.to(sessionRoom).except(author).emit('session:event', redactEvent(event, null));
}
