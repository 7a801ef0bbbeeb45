import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { encodeResult } from '../../lib/compute/codec';
import { type ComputeRequest, computeRequestSchema, resultKey } from '../../lib/protocol/compute';
import { joinCodeSchema } from '../../lib/protocol/primitives';
import { MAX_IMPORT_BYTES, sessionSummariesBodySchema } from '../../lib/protocol/replay';
import { ComputeError } from '../compute/errors';
import type { JobOwner } from '../compute/job-counts';
import type { ComputeService } from '../compute/service';
import type { RateLimits } from '../limits';
import type { ReplayCredentials, ReplayService } from '../replay/service';
import { bearerKey, clientAddress, HttpError, readBody, readJson, sendJson } from './body';

export interface ReplayDeps {
  replays: ReplayService;
  compute: ComputeService;
  limits: RateLimits;
  trustProxy: boolean;
}

/** Replays, share links, the instructor's session list, export and import. */
export async function routeReplays(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  deps: ReplayDeps,
): Promise<boolean> {
  const { pathname } = url;
  const method = req.method ?? 'GET';
  const { replays } = deps;

  if (pathname === '/api/sessions/listings' && method === 'POST') {
    const body = await readJson(req, sessionSummariesBodySchema);
    sendJson(res, 200, await replays.listings(body.sessions, body));
    return true;
  }
  if (pathname === '/api/sessions/import' && method === 'POST') {
    await deps.limits.require('imports', clientAddress(req, deps.trustProxy), 'imports');
    const bytes = await readBody(req, MAX_IMPORT_BYTES, 'application/json');
    sendJson(res, 201, await replays.importSession(bytes));
    return true;
  }

  const match = /^\/api\/(sessions|replays)\/([^/]+)(\/.*)?$/.exec(pathname);
  if (!match) return false;
  const [, area, rawCode, rest = ''] = match;
  const code = joinCodeSchema.safeParse(decodeURIComponent(rawCode));
  if (!code.success) return false;
  const joinCode = code.data;

  if (area === 'replays') {
    const credentials: ReplayCredentials = {
      instructorKey: bearerKey(req),
      share:
        (req.headers['x-share-token'] as string | undefined) ?? url.searchParams.get('share') ?? undefined,
    };
    const { session, viewer } = await replays.asViewer(joinCode, credentials);
    if (rest === '' && method === 'GET') {
      sendJson(res, 200, await replays.log(session, viewer));
      return true;
    }
    if (rest === '/compute' && method === 'POST') {
      const address = clientAddress(req, deps.trustProxy);
      await deps.limits.require('computeRequests', address, 'compute requests');
      const request = await readJson(req, computeRequestSchema);
      await replays.requireNotAnAnswer(session, viewer, request);
      const owner = {
        participantId: `replay:${session.id}:${credentials.share ?? 'instructor'}`,
        sessionId: session.id,
        address,
      };
      await computeForViewer(request, res, deps.compute, owner);
      return true;
    }
    return false;
  }

  if (rest === '/shares' && method === 'GET') {
    sendJson(res, 200, {
      shares: await replays.shares(await replays.asInstructor(joinCode, bearerKey(req))),
    });
    return true;
  }
  if (rest === '/shares' && method === 'POST') {
    sendJson(res, 201, await replays.createShare(await replays.asInstructor(joinCode, bearerKey(req))));
    return true;
  }
  const share = /^\/shares\/([\w-]+)$/.exec(rest);
  if (share && method === 'DELETE') {
    await replays.revokeShare(await replays.asInstructor(joinCode, bearerKey(req)), share[1]);
    res.writeHead(204).end();
    return true;
  }
  if (rest === '/export' && method === 'GET') {
    const file = await replays.exportSession(await replays.asInstructor(joinCode, bearerKey(req)));
    const text = JSON.stringify(file);
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-disposition': `attachment; filename="convlens-${joinCode}.json"`,
      'cache-control': 'no-store',
    });
    res.end(text);
    return true;
  }
  return false;
}

/**
 * A replay viewer has no session socket: derived results come over HTTP as
 * [4-byte meta length][meta JSON][bytes] (lib/compute/codec), or 503 so the
 * viewer's browser computes them.
 */
async function computeForViewer(
  request: ComputeRequest,
  res: ServerResponse,
  compute: ComputeService,
  owner: JobOwner,
): Promise<void> {
  // A viewer who closes the page or moves on (the browser aborts the fetch) waits no more: the job stops at its
  // next batch unless someone else waits for it.
  const waiter = { id: `replay-${randomUUID()}`, priority: 'explore' as const, owner };
  const key = resultKey(request);
  res.on('close', () => {
    if (!res.writableFinished) compute.release(key, waiter.id);
  });
  const answer = await compute.request(request, waiter).catch((error: Error) => {
    const code = error instanceof ComputeError ? error.code : 'bad-request';
    const status = code === 'bad-request' || code === 'too-costly' ? 400 : 503;
    throw new HttpError(status, code, `could not compute ${request.kind}: ${error.message}`);
  });
  if (answer.status === 'unavailable') throw new HttpError(503, 'unavailable', answer.reason);
  const encoded = answer.result as ReturnType<typeof encodeResult>;
  const meta = Buffer.from(JSON.stringify({ meta: encoded.meta, origin: answer.origin, key: answer.key }));
  const header = Buffer.alloc(4);
  header.writeUInt32BE(meta.length);
  const body = Buffer.concat([
    header,
    meta,
    Buffer.from(encoded.bytes.buffer, encoded.bytes.byteOffset, encoded.bytes.byteLength),
  ]);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': body.length,
    'cache-control': 'no-store',
  });
  res.end(body);
}
