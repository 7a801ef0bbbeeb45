import type { Socket } from 'socket.io';
import {
  type ComputeAccepted,
  type ComputePriority,
  computeCancelSchema,
  computeRequestSchema,
  type EncodedComputeResult,
  resultKey,
} from '../../lib/protocol/compute';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/protocol/socket';
import { ComputeError } from '../compute/errors';
import type { ComputeService } from '../compute/service';
import { SessionError } from '../session/errors';
import type { Member } from '../session/service';

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface ComputeHandlerContext {
  compute: ComputeService;
  /** The participant on this connection, once joined. */
  member: () => Member | undefined;
  /** Runs a handler under the socket's rate limit and answers its ack (server/socket/index.ts). */
  handle: <T>(ack: unknown, work: () => Promise<T>) => Promise<void>;
  badRequest: (issues: { path: PropertyKey[]; message: string }[]) => SessionError;
}

/** Job states go to each session room that waits for the job (once per room, not per asker). */
export function publishComputeProgress(
  io: { to(room: string): { emit: IoSocket['emit'] } },
  compute: ComputeService,
): void {
  compute.onProgress((room, progress) => io.to(room).emit('compute:progress', progress));
}

/**
 * compute:request (answered when the result is ready), compute:cancel, and the
 * end of every wait when the connection goes away: a job nobody waits for stops.
 */
export function registerComputeHandlers(socket: IoSocket, context: ComputeHandlerContext): void {
  const { compute, handle } = context;

  socket.on('compute:request', async (raw, ack) => {
    await handle(ack, async (): Promise<ComputeAccepted> => {
      const member = context.member();
      if (!member) throw new SessionError('not-joined', 'join a session first');
      const parsed = computeRequestSchema.safeParse(raw);
      if (!parsed.success) throw context.badRequest(parsed.error.issues);
      const request = parsed.data;
      const key = resultKey(request);
      if (member.room.state.compute === 'browser') {
        return { status: 'unavailable', key, reason: 'this session computes in the browsers' };
      }
      const priority: ComputePriority = member.role === 'instructor' ? 'shared' : 'explore';
      try {
        return await compute.request(request, {
          id: socket.id,
          room: member.room.id,
          priority,
          onPartial: (result) =>
            socket.emit('compute:partial', { key, result: result as EncodedComputeResult }),
          owner: {
            participantId: member.participantId,
            sessionId: member.room.id,
            address: socket.handshake.address,
          },
        });
      } catch (error) {
        if (error instanceof ComputeError) {
          throw new SessionError(error.code, `could not compute ${request.kind}: ${error.message}`);
        }
        throw error;
      }
    });
  });

  socket.on('compute:cancel', (raw) => {
    const parsed = computeCancelSchema.safeParse(raw);
    if (parsed.success) compute.release(parsed.data.key, socket.id);
  });

  socket.on('disconnect', () => compute.releaseAll(socket.id));
}
