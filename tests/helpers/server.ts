import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '@/lib/protocol/socket';
import { type Application, type AppOptions, createApplication } from '@/server/app';
import { type Db, openDatabase, removeSqliteFile } from '@/server/db/client';
import { type DatabaseConfig, databaseConfig } from '@/server/db/config';
import { migrateDatabase } from '@/server/db/migrate';

export const POSTGRES_ADMIN_URL =
  process.env.TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestServer {
  app: Application;
  url: string;
  database: DatabaseConfig;
  stop(): Promise<void>;
}

/** A fresh database of the given kind: an SQLite file in tmp, or a new PostgreSQL database. */
export async function freshDatabase(
  kind: 'sqlite' | 'postgres',
): Promise<{ config: DatabaseConfig; drop(): Promise<void> }> {
  const name = `convlens_test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  if (kind === 'sqlite') {
    const config = databaseConfig(`file:${join(tmpdir(), `${name}.db`)}`);
    return { config, drop: async () => removeSqliteFile(config) };
  }
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    config: databaseConfig(url.toString()),
    drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

/** A migrated database of its own, for tests of the services without a server. */
export async function openTestDatabase(
  kind: 'sqlite' | 'postgres' = 'sqlite',
): Promise<{ db: Db; close(): Promise<void> }> {
  const fresh = await freshDatabase(kind);
  await migrateDatabase(fresh.config);
  const db = await openDatabase(fresh.config);
  return {
    db,
    async close() {
      await db.$disconnect();
      await fresh.drop();
    },
  };
}

async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export async function startServer(
  kind: 'sqlite' | 'postgres' = 'sqlite',
  options: Omit<AppOptions, 'database'> = {},
): Promise<TestServer> {
  const db = await freshDatabase(kind);
  const app = await createApplication({ ...options, database: db.config });
  await new Promise<void>((resolve) => app.httpServer.listen(0, '127.0.0.1', resolve));
  const { port } = app.httpServer.address() as AddressInfo;
  return {
    app,
    url: `http://127.0.0.1:${port}`,
    database: db.config,
    async stop() {
      await app.close();
      await db.drop();
    },
  };
}

export type TestSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export async function connect(url: string): Promise<TestSocket> {
  const socket: TestSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
  return socket;
}

export async function postJson<T>(url: string, body: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}
