import type { IncomingMessage, ServerResponse } from 'node:http';
import { toCsv } from '../../lib/exercises/csv';
import { exerciseReport, REPORT_COLUMNS } from '../../lib/exercises/report';
import { joinCodeSchema } from '../../lib/protocol/primitives';
import type { ReplayService } from '../replay/service';
import type { SessionService } from '../session/service';
import { bearerKey, HttpError } from './body';

export interface ExerciseRouteDeps {
  sessions: SessionService;
  /** Checks the instructor key (401 without one, 403 for a wrong one). */
  replays: Pick<ReplayService, 'asInstructor'>;
}

/** GET /api/sessions/:code/exercises.csv: every exercise's results, for the instructor. */
export async function routeExercises(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  deps: ExerciseRouteDeps,
): Promise<boolean> {
  const match = /^\/api\/sessions\/([^/]+)\/exercises\.csv$/.exec(pathname);
  if (!match || req.method !== 'GET') return false;
  const code = joinCodeSchema.safeParse(decodeURIComponent(match[1]));
  if (!code.success) throw new HttpError(400, 'invalid', 'a join code is 6 letters or digits');
  const session = await deps.replays.asInstructor(code.data, bearerKey(req));
  // The room folds the whole stored log, answers included.
  const room = await deps.sessions.room(session);
  const csv = toCsv([REPORT_COLUMNS, ...exerciseReport(room.state)]);
  res.writeHead(200, {
    'content-type': 'text/csv; charset=utf-8',
    'content-disposition': `attachment; filename="convlens-${session.joinCode}-exercises.csv"`,
    'cache-control': 'no-store',
  });
  res.end(csv);
  return true;
}
