import type { IncomingMessage, ServerResponse } from 'node:http';
import { createSessionBodySchema, type HealthReport, type SessionSummary } from '../../lib/protocol/http';
import { joinCodeSchema } from '../../lib/protocol/primitives';
import type { RateLimits } from '../limits';
import type { Logger } from '../log';
import { SessionError } from '../session/errors';
import type { SessionService } from '../session/service';
import { clientAddress, HttpError, readJson, sendError, sendJson } from './body';
import { type CatalogDeps, routeCatalog } from './catalog-routes';
import { routeExercises } from './exercise-routes';
import { type ReplayDeps, routeReplays } from './replay-routes';

export interface ApiDeps extends CatalogDeps, ReplayDeps {
  sessions: SessionService;
  limits: RateLimits;
  /** Use X-Forwarded-For as the client's address (behind a trusted proxy). */
  trustProxy: boolean;
  health: () => Promise<HealthReport>;
  log: Logger;
}

/** The JSON API under /api. Returns false for paths it does not own (Next.js serves those). */
export function createApiHandler(deps: ApiDeps) {
  return async function handleApi(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/vendor/')) return false;
    try {
      await route(req, res, url, deps);
    } catch (error) {
      if (!(error instanceof HttpError) && !(error instanceof SessionError))
        deps.log.error({ err: error, path: url.pathname }, 'api request failed');
      sendError(res, error);
    }
    return true;
  };
}

async function route(req: IncomingMessage, res: ServerResponse, url: URL, deps: ApiDeps): Promise<void> {
  const { pathname } = url;
  if (pathname === '/api/health' && req.method === 'GET') {
    const report = await deps.health();
    return sendJson(res, report.ok ? 200 : 503, report);
  }
  if (pathname === '/api/sessions' && req.method === 'POST') {
    await deps.limits.require('sessionCreations', clientAddress(req, deps.trustProxy), 'new sessions');
    const body = await readJson(req, createSessionBodySchema);
    return sendJson(res, 201, await deps.sessions.create(body));
  }
  if (await routeCatalog(req, res, pathname, deps)) return;
  if (await routeExercises(req, res, pathname, deps)) return;
  if (await routeReplays(req, res, url, deps)) return;
  const sessionMatch = /^\/api\/sessions\/([^/]+)$/.exec(pathname);
  if (sessionMatch && req.method === 'GET') {
    const code = joinCodeSchema.safeParse(decodeURIComponent(sessionMatch[1]));
    if (!code.success) throw new HttpError(400, 'invalid', 'a join code is 6 letters or digits');
    const session = await deps.sessions.findByJoinCode(code.data);
    if (!session) throw new HttpError(404, 'not-found', `no session has the code ${code.data}`);
    const summary: SessionSummary = {
      joinCode: session.joinCode,
      title: session.title,
      modelId: session.modelId,
      createdAt: session.createdAt.toISOString(),
    };
    return sendJson(res, 200, summary);
  }
  throw new HttpError(404, 'not-found', `no API at ${req.method} ${pathname}`);
}
