import { rmSync } from 'node:fs';
import { PrismaClient as PostgresClient } from '../../generated/postgres';
import { PrismaClient as SqliteClient } from '../../generated/sqlite';
import { type DatabaseConfig, sqliteFilePath } from './config';

/**
 * Both generated clients come from one schema (prisma/schema.base.prisma), so
 * they have the same model API; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;

export async function openDatabase(config: DatabaseConfig): Promise<Db> {
  if (config.kind === 'sqlite') {
    const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
    const adapter = new PrismaBetterSQLite3({ url: sqliteFilePath(config) });
    const db = new SqliteClient({ adapter });
    // WAL lets readers (replays, health) proceed while the session log appends.
    await db.$queryRawUnsafe('PRAGMA journal_mode = WAL');
    await db.$executeRawUnsafe('PRAGMA busy_timeout = 5000');
    return db;
  }
  const { PrismaPg } = await import('@prisma/adapter-pg');
  const adapter = new PrismaPg({ connectionString: config.url });
  return new PostgresClient({ adapter }) as unknown as Db;
}

/** Deletes an SQLite database file (tests and CONVLENS_RESET_DB only). */
export function removeSqliteFile(config: DatabaseConfig): void {
  if (config.kind !== 'sqlite') return;
  const path = sqliteFilePath(config);
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${path}${suffix}`, { force: true });
}
