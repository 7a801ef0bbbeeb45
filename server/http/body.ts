import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import type { HttpErrorBody } from '../../lib/protocol/http';
import { withoutServerPaths } from '../client-message';

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

export async function readJson<S extends z.ZodType>(
  req: IncomingMessage,
  schema: S,
  maxBytes = MAX_JSON_BODY_BYTES,
): Promise<z.infer<S>> {
  if (!(req.headers['content-type'] ?? '').includes('application/json')) {
    throw new HttpError(415, 'unsupported-media-type', 'send a JSON body (Content-Type: application/json)');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      throw new HttpError(413, 'too-large', `the body is over ${Math.round(maxBytes / 1024)} KiB`);
    }
    chunks.push(chunk as Buffer);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.concat(chunks).toString('utf8') || 'null');
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

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
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
      : new HttpError(500, 'internal', 'the server could not answer that request');
  const body: HttpErrorBody = {
    error: { code: e.code, message: withoutServerPaths(e.message), fields: e.fields },
  };
  sendJson(res, e.status, body);
}

/** `Authorization: Bearer <key>`, if present. */
export function bearerKey(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}
