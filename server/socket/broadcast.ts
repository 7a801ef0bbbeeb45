// What each connection of a session receives: logged events (answers redacted for everyone but their
// author until the reveal) and ephemeral updates.
import { isPrivateEvent, redactEvent, redactJoinResult } from '../../lib/exercises/redact';
import type { LoggedEvent } from '../../lib/protocol/events';
import type { EphemeralUpdate } from '../../lib/protocol/presence';
import type { JoinResult } from '../../lib/protocol/socket';
import type { IoServer, IoSocket } from './types';

/** The Socket.io room of one participant's connections (all their tabs) within a session. */
export function participantRoom(sessionRoom: string, participantId: string): string {
  return `${sessionRoom}/participant/${participantId}`;
}

/**
 * Announces a logged event to a session. An answer goes whole to its author's connections and, to everyone
 * else (the instructor too: their screen is often on the projector), as a count-only copy with the same seq.
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

/** Sends one viewer the events it missed, redacted for it. */
export function sendEvents(socket: IoSocket, events: readonly LoggedEvent[], viewer: string): void {
  for (const event of events) socket.emit('session:event', redactEvent(event, viewer));
}

/** A join answer as its viewer may see it: before a reveal, nobody sees another participant's answer. */
export function joinResultFor(result: JoinResult, viewer: string): JoinResult {
  return redactJoinResult(result, viewer);
}

export function emitEphemeral(io: IoServer, sessionRoom: string, update: EphemeralUpdate): void {
  io.to(sessionRoom).emit('session:ephemeral', update);
}
