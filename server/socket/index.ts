// The Socket.io adapter of the session service: connection limits, one handler module per concern, and
// the broadcast of what rooms announce. Several servers: server/cluster.ts adds the fan-out between them.

import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions } from 'socket.io';
import { SOCKET_EVENTS } from '../../lib/protocol/socket';
import type { ComputeService } from '../compute/service';
import type { ExerciseService } from '../exercises/service';
import { addressOf } from '../http/body';
import type { RateLimits } from '../limits';
import type { Logger } from '../log';
import type { SessionService } from '../session/service';
import {
  cancelWhatTheSharedViewLeft,
  publishComputeProgress,
  registerComputeHandlers,
  SharedViewKeys,
} from './compute-handlers';
import { ephemeralHandlers } from './ephemeral-handlers';
import { badRequest, handle } from './handle';
import { OnePerTurn } from './one-per-turn';
import { SessionOutbox } from './outbox';
import { sessionHandlers } from './session-handlers';
import type { Connection, IoServer } from './types';

export type { IoServer } from './types';

/** Largest socket message accepted; bigger ones close that connection only. */
export const MAX_MESSAGE_BYTES = 256 * 1024;

export interface SocketDeps {
  sessions: SessionService;
  compute: ComputeService;
  exercises: ExerciseService;
  limits: RateLimits;
  log: Logger;
  /** The Socket.io adapter shared by several servers (server/cluster.ts); none: this server is alone. */
  adapter?: ServerOptions['adapter'];
  /** Use X-Forwarded-For as the client's address (behind a trusted proxy). */
  trustProxy?: boolean;
  /** Ids of the image sets with images (what the shared view can scan). */
  imageSets?: () => string[];
}

export function attachSockets(httpServer: HttpServer, deps: SocketDeps): IoServer {
  const { sessions, limits, log } = deps;
  const io: IoServer = new Server(httpServer, {
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    serveClient: false,
    ...(deps.adapter ? { adapter: deps.adapter } : {}),
  });

  publishComputeProgress(io, deps.compute);
  const sharedView = new SharedViewKeys(deps.compute, deps.imageSets ?? (() => []));
  cancelWhatTheSharedViewLeft(sessions, deps.compute, sharedView);

  // Every event or ephemeral change a room of this server makes is broadcast, from the first one on.
  const outbox = new SessionOutbox(io);
  sessions.onRoomLoaded((room) => {
    room.onEvent((event) => outbox.event(room.id, event));
    room.onEphemeral((update) => outbox.ephemeral(room.id, update));
  });

  const joins = new OnePerTurn();
  const perAddress = new Counter();
  const perSession = new Counter();
  io.use((socket, next) => {
    const address = addressOf(socket.handshake.headers, socket.handshake.address, deps.trustProxy ?? false);
    if (perAddress.get(address) >= limits.limits.socketsPerAddress) {
      const error = new Error('too many connections from this address') as Error & { data?: unknown };
      error.data = { code: 'limit-exceeded' };
      next(error);
      return;
    }
    next();
  });

  const known = new Set<string>(Object.values(SOCKET_EVENTS));
  const context = { limits, log };
  io.on('connection', (socket) => {
    const address = addressOf(socket.handshake.headers, socket.handshake.address, deps.trustProxy ?? false);
    perAddress.add(address, 1);
    const connection: Connection = { socket, address };

    socket.onAny((name: string) => {
      if (known.has(name)) return;
      void limits.take('unknownEvents', socket.id).then((allowed) => {
        if (!allowed) {
          socket.disconnect(true);
          return;
        }
        socket.emit('session:error', {
          code: 'unknown-event',
          message: `unknown event "${String(name).slice(0, 40)}"`,
        });
      });
    });

    sessionHandlers(
      {
        ...context,
        sessions,
        exercises: deps.exercises,
        sessionHasRoom: (sessionId) => perSession.get(sessionId) < limits.limits.socketsPerSession,
        counted: (sessionId, joined) => perSession.add(sessionId, joined ? 1 : -1),
        joins,
      },
      connection,
    );
    ephemeralHandlers({ ...context, sessions }, connection);
    registerComputeHandlers(socket, {
      compute: deps.compute,
      sharedView,
      member: () => connection.member,
      handle: (ack, work) => handle(context, connection, ack, work, 'compute'),
      badRequest,
      toRoom: (room, partial) => io.to(room).emit('compute:partial', partial),
    });

    socket.on('disconnect', () => perAddress.add(address, -1));
  });

  return io;
}

class Counter {
  private readonly counts = new Map<string, number>();

  get(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  add(key: string, delta: number): void {
    const next = this.get(key) + delta;
    if (next <= 0) this.counts.delete(key);
    else this.counts.set(key, next);
  }
}
