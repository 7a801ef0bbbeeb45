import type { Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { redactEvent, redactJoinResult } from '../../lib/exercises/redact';
import { actionSchema } from '../../lib/protocol/actions';
import {
  type ClientToServerEvents,
  type JoinResult,
  joinRequestSchema,
  type Response,
  type ServerToClientEvents,
  SOCKET_EVENTS,
} from '../../lib/protocol/socket';
import type { ComputeService } from '../compute/service';
import { emitSessionEvent, participantRoom } from '../exercises/broadcast';
import { type ExerciseService, isExerciseAction } from '../exercises/service';
import type { Logger } from '../log';
import { SessionError, toProtocolError } from '../session/errors';
import type { Member, SessionService } from '../session/service';
import {
  cancelWhatTheSharedViewLeft,
  publishComputeProgress,
  registerComputeHandlers,
  SharedViewKeys,
} from './compute-handlers';
import { RateLimiter } from './rate-limit';

export type IoServer = Server<ClientToServerEvents, ServerToClientEvents>;
type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

/** Largest socket message accepted; bigger ones close that connection only. */
export const MAX_MESSAGE_BYTES = 256 * 1024;
const APPENDED = 'convlens:appended';

/** Set when REDIS_URL names a Redis shared by several ConvLens servers. */
export interface Cluster {
  adapter: NonNullable<ConstructorParameters<typeof Server>[1]>['adapter'];
}

export function attachSockets(
  httpServer: HttpServer,
  sessions: SessionService,
  compute: ComputeService,
  log: Logger,
  exercises: ExerciseService,
  cluster?: Cluster,
  /** Ids of the image sets with images (what the shared view can scan). */
  imageSets: () => string[] = () => [],
): IoServer {
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    connectionStateRecovery: undefined,
    ...(cluster ? { adapter: cluster.adapter } : {}),
  });
  publishComputeProgress(io, compute);
  const sharedView = new SharedViewKeys(compute, imageSets);
  cancelWhatTheSharedViewLeft(sessions, compute, sharedView);
  // Every event a room of this server stores is broadcast, from the first one on
  // (the first join's own arrival included: with several servers, others are listening).
  sessions.onRoomLoaded((room) =>
    room.onEvent((event) => {
      emitSessionEvent(io, room.id, event);
      if (cluster) (io.serverSideEmit as (event: string, ...args: unknown[]) => boolean)(APPENDED, room.id);
    }),
  );
  // Several servers: the adapter carries broadcasts to every server's sockets, and this
  // note tells the other servers to fold what this one stored.
  if (cluster) {
    (io as unknown as NodeJS.EventEmitter).on(APPENDED, (sessionId: unknown) => {
      if (typeof sessionId === 'string')
        sessions.refresh(sessionId).catch((error) => log.error({ err: error }, 'refresh failed'));
    });
  }

  io.on('connection', (socket) => {
    const limiter = new RateLimiter(30, 60);
    // Live dragging asks for a probe per frame: compute requests get their own, larger budget.
    const computeLimiter = new RateLimiter(60, 120);
    let member: Member | undefined;

    const known = new Set<string>(Object.values(SOCKET_EVENTS));
    socket.onAny((name: string) => {
      if (!known.has(name)) {
        socket.emit('session:error', {
          code: 'unknown-event',
          message: `unknown event "${String(name).slice(0, 40)}"`,
        });
      }
    });

    socket.on('session:join', async (raw, ack) => {
      await handle(socket, limiter, ack, async () => {
        if (member) throw new SessionError('bad-request', 'this connection has already joined a session');
        const request = joinRequestSchema.safeParse(raw);
        if (!request.success) throw badRequest(request.error.issues);
        const joined = await sessions.join(request.data);
        member = joined.member;
        const room = member.room;
        const viewer = member.participantId;
        await socket.join([room.id, participantRoom(room.id, viewer)]);
        // Events stored between taking the result and joining the room were broadcast without this
        // socket: send them right after the answer (packets keep their order on one socket).
        const covered = resultSeq(joined.result, request.data.lastSeq);
        setImmediate(() => {
          for (const event of room.eventsAfter(covered) ?? [])
            socket.emit('session:event', redactEvent(event, viewer));
        });
        // Before the reveal, nobody sees another participant's answer: not in a snapshot, not in a resume.
        return redactJoinResult(joined.result, viewer);
      });
    });

    socket.on('session:act', async (raw, ack) => {
      await handle(socket, limiter, ack, async () => {
        if (!member) throw new SessionError('not-joined', 'join a session first');
        const action = actionSchema.safeParse(raw);
        if (!action.success) throw badRequest(action.error.issues);
        const event = isExerciseAction(action.data)
          ? await exercises.act(member, action.data)
          : await sessions.act(member, action.data);
        return { seq: event.seq };
      });
    });

    registerComputeHandlers(socket, {
      compute,
      sharedView,
      member: () => member,
      handle: (ack, work) => handle(socket, computeLimiter, ack, work),
      badRequest,
      toRoom: (room, partial) => io.to(room).emit('compute:partial', partial),
    });

    socket.on('disconnect', () => {
      if (!member) return;
      sessions.leave(member).catch((error) => log.error({ err: error }, 'could not record a departure'));
    });
  });

  async function handle<T>(
    socket: IoSocket,
    limiter: RateLimiter,
    ack: unknown,
    work: () => Promise<T>,
  ): Promise<void> {
    const reply = typeof ack === 'function' ? (ack as (r: Response<T>) => void) : undefined;
    if (!limiter.take()) {
      const error = { code: 'rate-limited' as const, message: 'too many messages: slow down' };
      if (reply) reply({ ok: false, error });
      else socket.emit('session:error', error);
      return;
    }
    try {
      const value = await work();
      reply?.({ ok: true, value });
    } catch (error) {
      if (!(error instanceof SessionError)) log.error({ err: error }, 'socket handler failed');
      const protocolError = toProtocolError(error);
      if (reply) reply({ ok: false, error: protocolError });
      else socket.emit('session:error', protocolError);
    }
  }

  return io;
}

function badRequest(issues: { path: PropertyKey[]; message: string }[]): SessionError {
  const first = issues[0];
  const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return new SessionError('bad-request', `${where}${first?.message ?? 'invalid message'}`);
}

/** The last seq a join answer already accounts for. */
function resultSeq(result: JoinResult, lastSeq: number | undefined): number {
  if (result.kind === 'snapshot') return result.state.seq;
  return result.events.at(-1)?.seq ?? lastSeq ?? 0;
}
