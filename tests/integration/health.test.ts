import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '@/lib/protocol/http';
import { COMPUTE_BACKENDS, initComputeBackend } from '@/server/compute/backend';
import { createHealthCheck } from '@/server/health';
import { POSTGRES_ADMIN_URL, startServer } from '../helpers/server';

describe('health', () => {
  it('reports a database that went away as not ok, and keeps serving', async () => {
    const server = await startServer('postgres');
    const name = new URL(server.database.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
    await admin.end();

    const res = await fetch(`${server.url}/api/health`);
    const report = (await res.json()) as HealthReport;
    expect(res.status).toBe(503);
    expect(report).toMatchObject({ ok: false, dbOk: false, db: 'postgres' });
    expect(report.error).toMatch(/^database: /);
    const again = await fetch(`${server.url}/api/health`);
    expect(again.status).toBe(503);
    await server.stop();
  });

  it('reports the compute backend in use and, for WebGPU, the adapter it runs on', async () => {
    const server = await startServer('sqlite');
    const active = await initComputeBackend();
    const report = (await (await fetch(`${server.url}/api/health`)).json()) as HealthReport;
    expect(COMPUTE_BACKENDS).toContain(report.compute.backend);
    expect(report.compute).toEqual(
      active.adapter ? { backend: active.name, adapter: active.adapter } : { backend: active.name },
    );

    const onGpu = createHealthCheck({
      db: server.app.db,
      dbKind: 'sqlite',
      computeBackend: () => ({ name: 'webgpu', adapter: 'NVIDIA GeForce RTX 3080' }),
      startedAt: Date.now(),
    });
    expect((await onGpu()).compute).toEqual({ backend: 'webgpu', adapter: 'NVIDIA GeForce RTX 3080' });
    await server.stop();
  });
});
