// Joining a session, acting in it, and leaving it.
import { actionSchema } from '../../lib/protocol/actions';
import { type JoinResult, joinRequestSchema } from '../../lib/protocol/socket';
import { type ExerciseService, isExerciseAction } from '../exercises/service';
import { SessionError } from '../session/errors';
import type { SessionService } from '../session/service';
import { joinResultFor, participantRoom, sendEvents } from './broadcast';
import { type HandlerContext, handle, parse, requireMember } from './handle';
import type { OnePerTurn } from './one-per-turn';
import type { Connection } from './types';

export interface SessionHandlerDeps extends HandlerContext {
  sessions: SessionService;
  exercises: ExerciseService;
  /** Whether the session may take one more socket on this server (limits.socketsPerSession). */
  sessionHasRoom(sessionId: string): boolean;
  /** A socket joined (true) or left (false) a session. */
  counted(sessionId: string, joined: boolean): void;
  /** Joins start one per event-loop turn (server/socket/one-per-turn.ts). */
  joins: OnePerTurn;
}

export function sessionHandlers(deps: SessionHandlerDeps, connection: Connection): void {
  const { socket } = connection;

  socket.on('session:join', (raw, ack) =>
    handle(deps, connection, ack, () => deps.joins.run(() => join(raw))),
  );

  async function join(raw: unknown): Promise<JoinResult> {
    if (connection.member)
      throw new SessionError('bad-request', 'this connection has already joined a session');
    // A join waits for its turn: the socket may have gone meanwhile.
    if (socket.disconnected) throw new SessionError('bad-request', 'the connection closed');
    const request = parse(joinRequestSchema, raw);
    const session = await deps.sessions.findByJoinCode(request.joinCode);
    if (session && !deps.sessionHasRoom(session.id)) {
      throw new SessionError('limit-exceeded', 'this session has as many connections as it can take');
    }
    const joined = await deps.sessions.join(request);
    const member = joined.member;
    connection.member = member;
    deps.counted(member.room.id, true);
    if (socket.disconnected) {
      // It left while joining: its disconnect found no member to take out.
      deps.sessions.leave(member);
      deps.counted(member.room.id, false);
      throw new SessionError('bad-request', 'the connection closed');
    }
    const viewer = member.participantId;
    await socket.join([member.room.id, participantRoom(member.room.id, viewer)]);
    // Events stored between taking the answer and joining the room were broadcast without this socket:
    // send them right after the answer (packets keep their order on one socket).
    const covered = resultSeq(joined.result, request.lastSeq);
    setImmediate(() => sendEvents(socket, member.room.eventsAfter(covered) ?? [], viewer));
    return joinResultFor(joined.result, viewer);
  }

  socket.on('session:act', (raw, ack) =>
    handle(deps, connection, ack, async () => {
      const member = requireMember(connection);
      const action = parse(actionSchema, raw);
      const event = isExerciseAction(action)
        ? await deps.exercises.act(member, action)
        : await deps.sessions.act(member, action);
      return { seq: event.seq };
    }),
  );

  socket.on('disconnect', () => {
    if (!connection.member) return;
    deps.sessions.leave(connection.member);
    deps.counted(connection.member.room.id, false);
  });
}

/** The last seq a join answer already accounts for. */
function resultSeq(result: JoinResult, lastSeq: number | undefined): number {
  if (result.kind === 'snapshot') return result.state.seq;
  return result.events.at(-1)?.seq ?? lastSeq ?? 0;
}
