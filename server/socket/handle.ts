// The one way a socket message is answered: counted against its socket's and its participant's budgets,
// parsed, run, and answered through its ack with a value or a named error, never a thrown exception.
import type { z } from 'zod';
import type { Response } from '../../lib/protocol/socket';
import type { RateLimits } from '../limits';
import type { Logger } from '../log';
import { SessionError, toProtocolError } from '../session/errors';
import type { Connection } from './types';

export interface HandlerContext {
  limits: RateLimits;
  log: Logger;
}

/** Which budget a message counts against: session messages, or compute requests (a drag asks per frame). */
export type Budget = 'messages' | 'compute';

/** Counts one message against the socket's and (session messages, once joined) the participant's budget. */
export async function withinBudget(
  context: HandlerContext,
  connection: Connection,
  budget: Budget = 'messages',
): Promise<boolean> {
  const perSocket = budget === 'compute' ? 'computeRequests' : 'socketMessages';
  if (!(await context.limits.take(perSocket, connection.socket.id))) return false;
  const member = connection.member;
  if (!member || budget === 'compute') return true;
  return context.limits.take('participantMessages', `${member.room.id}/${member.participantId}`);
}

export async function handle<T>(
  context: HandlerContext,
  connection: Connection,
  ack: unknown,
  work: () => Promise<T>,
  budget: Budget = 'messages',
): Promise<void> {
  const reply = typeof ack === 'function' ? (ack as (r: Response<T>) => void) : undefined;
  const { socket } = connection;
  try {
    if (!(await withinBudget(context, connection, budget))) {
      throw new SessionError('rate-limited', 'too many messages: slow down');
    }
    const value = await work();
    reply?.({ ok: true, value });
  } catch (error) {
    if (!(error instanceof SessionError)) context.log.error({ err: error }, 'socket handler failed');
    const protocolError = toProtocolError(error);
    if (reply) reply({ ok: false, error: protocolError });
    else socket.emit('session:error', protocolError);
  }
}

/** The payload as the schema reads it, or a `bad-request` naming the first problem. */
export function parse<S extends z.ZodType>(schema: S, raw: unknown): z.infer<S> {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw badRequest(parsed.error.issues);
}

export function badRequest(issues: { path: PropertyKey[]; message: string }[]): SessionError {
  const first = issues[0];
  const where = first?.path.length ? `${first.path.map(String).join('.')}: ` : '';
  return new SessionError('bad-request', `${where}${first?.message ?? 'invalid message'}`);
}

export function requireMember(connection: Connection) {
  if (!connection.member) throw new SessionError('not-joined', 'join a session first');
  return connection.member;
}
