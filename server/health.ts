// GET /api/health: is the database reachable and migrated, which compute backend runs. A reason is always given
// when something is wrong: operators act on it.
import type { HealthReport } from '../lib/protocol/http';
import { withoutServerPaths } from './client-message';
import type { Db } from './db/client';
import type { DatabaseConfig } from './db/config';
import { missingMigrations, shippedMigrations } from './db/migration-status';
import { APP_VERSION } from './version';

const DATABASE_TIMEOUT_MS = 3000;

export function createHealthCheck(deps: {
  db: Db;
  database: Pick<DatabaseConfig, 'kind' | 'prismaDir'>;
  computeBackend: () => { name: string; adapter?: string } | null;
  startedAt: number;
}) {
  const shipped = shippedMigrations(deps.database);
  return async function health(): Promise<HealthReport> {
    const problem = await databaseProblem(deps.db, shipped);
    const backend = deps.computeBackend();
    return {
      ok: problem === null,
      version: APP_VERSION,
      db: deps.database.kind,
      dbOk: problem === null,
      compute: { backend: backend?.name ?? null, ...(backend?.adapter ? { adapter: backend.adapter } : {}) },
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      ...(problem ? { error: `database: ${problem}` } : {}),
    };
  };
}

async function databaseProblem(db: Db, shipped: readonly string[]): Promise<string | null> {
  try {
    await withTimeout(db.$queryRawUnsafe('SELECT 1'), DATABASE_TIMEOUT_MS);
  } catch (error) {
    return `unreachable: ${describeError(error)}`;
  }
  try {
    const missing = await withTimeout(missingMigrations(db, shipped), DATABASE_TIMEOUT_MS);
    return missing === null ? null : `not migrated: ${missing}`;
  } catch (error) {
    return `unreachable: ${describeError(error)}`;
  }
}

/**
 * What went wrong, in one line: the driver's own message when Prisma carries one (its error text leads with a
 * call-site dump and ends with the cause), else the last non-empty line, the code or the name.
 */
export function describeError(error: unknown): string {
  const driver = (
    error as { meta?: { driverAdapterError?: { cause?: { originalMessage?: unknown; kind?: unknown } } } }
  )?.meta?.driverAdapterError?.cause;
  if (typeof driver?.originalMessage === 'string' && driver.originalMessage.trim())
    return driver.originalMessage.trim();
  if (typeof driver?.kind === 'string' && driver.kind) return driver.kind;
  const seen = new Set<unknown>();
  for (
    let current: unknown = error;
    current && !seen.has(current);
    current = (current as { cause?: unknown }).cause
  ) {
    seen.add(current);
    const candidate = current as { message?: unknown; code?: unknown };
    const line = typeof candidate.message === 'string' ? lastLine(candidate.message) : '';
    if (line) return line;
    if (typeof candidate.code === 'string' && candidate.code) return `error ${candidate.code}`;
  }
  if (error instanceof Error && error.name) return error.name;
  return typeof error === 'string' && error.trim() ? lastLine(error) : 'no answer from the database driver';
}

function lastLine(text: string): string {
  const lines = text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.length > 0);
  return withoutServerPaths(lines.at(-1) ?? '');
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
