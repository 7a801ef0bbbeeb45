import type { Socket } from 'socket.io';
import { exerciseHiding } from '../../lib/exercises/hidden';
import { decodeResult, type EncodedResult } from '../../lib/protocol/codec';
import {
  type ComputeAccepted,
  type ComputePriority,
  computeCancelSchema,
  computeRequestSchema,
  type EncodedComputeResult,
  resultKey,
} from '../../lib/protocol/compute';
import { prepareLessonSchema } from '../../lib/protocol/lesson-prep';
import type { ModelInfoResult } from '../../lib/protocol/results';
import type { ClientToServerEvents, ServerToClientEvents } from '../../lib/protocol/socket';
import type { SessionState } from '../../lib/protocol/state';
import { sharedViewRequests } from '../../lib/session/shared-view';
import { ComputeError } from '../compute/errors';
import { type LessonPrep, prepareLesson, statesOfHistory, statesOfPlan } from '../compute/lesson-prep';
import type { ComputeService } from '../compute/service';
import { SessionError } from '../session/errors';
import type { Member, SessionService } from '../session/service';

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents>;

export interface ComputeHandlerContext {
  compute: ComputeService;
  sharedView: SharedViewKeys;
  /** The participant on this connection, once joined. */
  member: () => Member | undefined;
  /** Runs a handler under the socket's rate limit and answers its ack (server/socket/index.ts). */
  handle: <T>(ack: unknown, work: () => Promise<T>) => Promise<void>;
  badRequest: (issues: { path: PropertyKey[]; message: string }[]) => SessionError;
  /** Sends a partial result to every socket of a session room. */
  toRoom: (room: string, partial: { key: string; result: EncodedComputeResult }) => void;
}

/** Rooms a partial result (one object, handed to every waiter of its job) was already sent to. */
const partialsSent = new WeakMap<object, Set<string>>();

function firstTimeInRoom(partial: unknown, room: string): boolean {
  if (typeof partial !== 'object' || partial === null) return true;
  const rooms = partialsSent.get(partial) ?? new Set<string>();
  partialsSent.set(partial, rooms);
  if (rooms.has(room)) return false;
  rooms.add(room);
  return true;
}

/** Job states go to each session room that waits for the job (once per room, not per asker). */
export function publishComputeProgress(
  io: { to(room: string): { emit: IoSocket['emit'] } },
  compute: ComputeService,
): void {
  compute.onProgress((room, progress) => io.to(room).emit('compute:progress', progress));
}

/** The result keys the shared view needs in a state (lib/session/shared-view.ts), with what the server knows. */
export class SharedViewKeys {
  private readonly memo = new WeakMap<SessionState, Set<string>>();

  constructor(
    private readonly compute: ComputeService,
    readonly imageSets: () => string[],
  ) {}

  keys(state: SessionState): Set<string> {
    let keys = this.memo.get(state);
    if (!keys) {
      const encoded = this.compute.peek(resultKey({ kind: 'model-info', modelId: state.modelId }));
      const info = encoded ? decodeResult(encoded as EncodedResult<ModelInfoResult>) : null;
      keys = new Set(sharedViewRequests(state, { info, imageSets: this.imageSets() }).map(resultKey));
      // Only memoised once the layer graph is known: before, the answer is partial.
      if (info) this.memo.set(state, keys);
    }
    return keys;
  }
}

/**
 * When the shared view moves on, the waits for what it showed end: the instructor's
 * always, everyone's while students follow. A job nobody else waits for stops.
 */
export function cancelWhatTheSharedViewLeft(
  sessions: SessionService,
  compute: ComputeService,
  sharedView: SharedViewKeys,
): void {
  sessions.onRoomLoaded((room) =>
    room.onEvent(() => {
      const state = room.state;
      const needed = sharedView.keys(state);
      compute.releaseWhere(
        (key, waiter) =>
          waiter.room === room.id &&
          waiter.priority === 'shared' &&
          !needed.has(key) &&
          (state.mode === 'follow' || waiter.instructor === true),
      );
    }),
  );
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
      // An open exercise's truth is its answer: no student, nor the projector, gets it (from any cache)
      // before the reveal.
      if (member.role !== 'instructor' && exerciseHiding(member.room.state, request) !== null) {
        throw new SessionError(
          'forbidden',
          'this is the answer to the open exercise: it is shown at the reveal',
        );
      }
      if (member.room.state.compute === 'browser') {
        return { status: 'unavailable', key, reason: 'this session computes in the browsers' };
      }
      // Served first: what the shared view shows now, whoever asks (followers ask for it too).
      const priority: ComputePriority = context.sharedView.keys(member.room.state).has(key)
        ? 'shared'
        : 'explore';
      try {
        return await compute.request(request, {
          id: socket.id,
          room: member.room.id,
          priority,
          instructor: member.role === 'instructor',
          onPartial: (result) => {
            const partial = { key, result: result as EncodedComputeResult };
            // Feature-visualisation previews are for the whole class to watch: each goes once to the
            // session room, however many of its members asked for the same job.
            if (request.kind !== 'feature-vis') socket.emit('compute:partial', partial);
            else if (firstTimeInRoom(result, member.room.id)) context.toRoom(member.room.id, partial);
          },
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

  let lesson: LessonPrep | null = null;
  socket.on('compute:prepare', async (raw, ack) => {
    await handle(ack, async () => {
      const member = context.member();
      if (!member) throw new SessionError('not-joined', 'join a session first');
      if (member.role !== 'instructor')
        throw new SessionError('forbidden', 'only the instructor prepares a lesson');
      const parsed = prepareLessonSchema.safeParse(raw);
      if (!parsed.success) throw context.badRequest(parsed.error.issues);
      const states =
        parsed.data.source === 'history'
          ? statesOfHistory(member.room.allEvents())
          : statesOfPlan(parsed.data.steps);
      lesson?.cancel();
      lesson = prepareLesson(compute, states, {
        waiter: { id: `prepare:${socket.id}`, room: member.room.id },
        imageSets: context.sharedView.imageSets(),
        onProgress: (progress) => socket.emit('compute:prepared', progress),
      });
      return { steps: states.length };
    });
  });
  socket.on('compute:prepare-cancel', () => lesson?.cancel());

  socket.on('disconnect', () => {
    lesson?.cancel();
    compute.releaseAll(socket.id);
  });
}
