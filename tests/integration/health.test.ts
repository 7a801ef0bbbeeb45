import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { HealthReport } from '@/lib/protocol/http';
import { COMPUTE_BACKENDS, initComputeBackend } from '@/server/compute/backend';
import { createHealthCheck } from '@/server/health';
import { POSTGRES_ADMIN_URL, startServer } from '../helpers/server';

describe('health', () => {
  async function adminQuery(sql: string): Promise<void> {
    const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
    await admin.connect();
    try {
      await admin.query(sql);
    } finally {
      await admin.end();
    }
  }

  async function healthOf(url: string): Promise<{ status: number; report: HealthReport }> {
    const res = await fetch(`${url}/api/health`);
    return { status: res.status, report: (await res.json()) as HealthReport };
  }

  it('reports a database that went away as not ok, with the reason, and keeps serving', async () => {
    const server = await startServer('postgres');
    expect(await healthOf(server.url)).toMatchObject({ status: 200, report: { ok: true, dbOk: true } });
    const name = new URL(server.database.url).pathname.slice(1);
    await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);

    const { status, report } = await healthOf(server.url);
    expect(status).toBe(503);
    expect(report).toMatchObject({ ok: false, dbOk: false, db: 'postgres' });
    expect(report.error).toMatch(/^database: unreachable: \S/);
    expect(report.error).toMatch(new RegExp(name));
    expect((await healthOf(server.url)).status).toBe(503);
    await server.stop();
  });

  it('reports a database recreated without tables as not migrated', async () => {
    const server = await startServer('postgres');
    const name = new URL(server.database.url).pathname.slice(1);
    await adminQuery(`DROP DATABASE ${name} WITH (FORCE)`);
    await adminQuery(`CREATE DATABASE ${name}`);

    const { status, report } = await healthOf(server.url);
    expect(status).toBe(503);
    expect(report).toMatchObject({ ok: false, dbOk: false });
    expect(report.error).toMatch(/^database: not migrated: no migrations applied/);
    await server.stop();
  });

  it('reports a database missing a migration this build ships as not migrated', async () => {
    const server = await startServer('sqlite');
    await server.app.db.$executeRawUnsafe(
      'DELETE FROM _prisma_migrations WHERE migration_name = (SELECT MAX(migration_name) FROM _prisma_migrations)',
    );
    const { status, report } = await healthOf(server.url);
    expect(status).toBe(503);
    expect(report.error).toMatch(
      /^database: not migrated: 1 of \d+ migrations not applied \(first: \d{14}_\w+\)/,
    );
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
      database: server.database,
      computeBackend: () => ({ name: 'webgpu', adapter: 'NVIDIA GeForce RTX 3080' }),
      startedAt: Date.now(),
    });
    expect((await onGpu()).compute).toEqual({ backend: 'webgpu', adapter: 'NVIDIA GeForce RTX 3080' });
    await server.stop();
  });
});
