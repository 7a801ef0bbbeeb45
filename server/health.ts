import type { HealthReport } from '../lib/protocol/http';
import type { Db } from './db/client';
import type { DatabaseKind } from './db/config';
import { APP_VERSION } from './version';

export function createHealthCheck(deps: {
  db: Db;
  dbKind: DatabaseKind;
  computeBackend: () => { name: string; adapter?: string } | null;
  startedAt: number;
}) {
  return async function health(): Promise<HealthReport> {
    let dbOk = true;
    let error: string | undefined;
    try {
      await withTimeout(deps.db.$queryRawUnsafe('SELECT 1'), 3000);
    } catch (e) {
      dbOk = false;
      error = `database: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`;
    }
    const backend = deps.computeBackend();
    return {
      ok: dbOk,
      version: APP_VERSION,
      db: deps.dbKind,
      dbOk,
      compute: { backend: backend?.name ?? null, ...(backend?.adapter ? { adapter: backend.adapter } : {}) },
      uptimeSeconds: Math.round((Date.now() - deps.startedAt) / 1000),
      ...(error ? { error } : {}),
    };
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}
