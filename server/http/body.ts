import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { HttpErrorBody } from '../../lib/protocol/http';
import type { ErrorCode } from '../../lib/protocol/socket';
import { withoutServerPaths } from '../client-message';
import { RateLimitedError } from '../limits';
import { SessionError } from '../session/errors';

export const MAX_JSON_BODY_BYTES = 64 * 1024;

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields?: Record<string, string[]>,
  ) {
    super(message);
  }
}

/** The request body as bytes, refused past `maxBytes` (declared or sent) or with another content type. */
export async function readBody(req: IncomingMessage, maxBytes: number, type: string): Promise<Buffer> {
  if (!(req.headers['content-type'] ?? '').includes(type)) {
    throw new HttpError(415, 'unsupported-media-type', `send the body as ${type}`);
  }
  const tooLarge = () =>
    new HttpError(413, 'too-large', `the body is over ${Math.round(maxBytes / 1024)} KiB`);
  if (Number(req.headers['content-length'] ?? 0) > maxBytes) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw tooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<S>> {
  const body = await readBody(req, maxBytes, 'application/json');
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8') || 'null');
  } catch {
    throw new HttpError(400, 'bad-json', 'the body is not valid JSON');
  }
  const result = schema.safeParse(parsed);
  if (!result.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.map(String).join('.') || '_';
      fields[key] = [...(fields[key] ?? []), issue.message];
    }
    throw new HttpError(400, 'invalid', 'some fields are not valid', fields);
  }
  return result.data;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(text);
}

export function sendError(res: ServerResponse, error: unknown): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const e =
    error instanceof HttpError
      ? error
      : error instanceof SessionError
        ? new HttpError(HTTP_STATUS[error.code], error.code, error.message, error.fields)
        : new HttpError(500, 'internal', 'the server could not answer that request');
  const body: HttpErrorBody = {
    error: { code: e.code, message: withoutServerPaths(e.message), fields: e.fields },
  };
  const retry: Record<string, string> =
    error instanceof RateLimitedError ? { 'retry-after': String(error.retryAfterSeconds) } : {};
  sendJson(res, e.status, body, retry);
}

/** How each domain error reads over HTTP. */
const HTTP_STATUS: Record<ErrorCode, number> = {
  'bad-request': 400,
  'not-found': 404,
  unauthorized: 401,
  forbidden: 403,
  unprocessable: 422,
  'client-too-old': 400,
  'client-too-new': 400,
  'rate-limited': 429,
  'limit-exceeded': 429,
  'not-joined': 400,
  'unknown-event': 404,
  internal: 500,
  'too-costly': 422,
  'queue-full': 429,
  'compute-timeout': 504,
  'compute-failed': 500,
  cancelled: 409,
};

/** `Authorization: Bearer <key>`, if present. */
export function bearerKey(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Where a client is: its socket's address, or the first X-Forwarded-For hop behind a trusted proxy. */
export function addressOf(
  headers: IncomingMessage['headers'],
  remoteAddress: string | undefined,
  trustProxy: boolean,
): string {
  const forwarded = headers['x-forwarded-for'];
  if (trustProxy && typeof forwarded === 'string' && forwarded) return forwarded.split(',')[0].trim();
  return remoteAddress ?? 'unknown';
}

export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  return addressOf(req.headers, req.socket.remoteAddress, trustProxy);
}
