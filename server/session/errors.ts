import type { ErrorCode, ProtocolError } from '../../lib/protocol/socket';

/**
 * An error the client is meant to see: a code from the protocol's list and a sentence (never a server path).
 * Domain services throw it; the socket layer answers it through the ack, the HTTP layer maps the code to a
 * status (server/http/body.ts).
 */
export class SessionError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Per-field reasons, for forms. */
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }

  toProtocol(): ProtocolError {
    return { code: this.code, message: this.message };
  }
}

export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof SessionError) return error.toProtocol();
  return { code: 'internal', message: 'the server could not do that; nothing was changed' };
}
