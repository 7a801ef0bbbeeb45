// Servers and compute workers that start together against one PostgreSQL database all migrate it; Prisma lets
// one at a time through its advisory lock and fails any that waits more than 10 s.
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '@/server/db/client';
import { type DatabaseConfig, databaseConfig } from '@/server/db/config';
import { migrateDatabase } from '@/server/db/migrate';
import { missingMigrations, shippedMigrations } from '@/server/db/migration-status';
import { freshDatabase } from '../helpers/server';

/** The advisory lock `prisma migrate deploy` takes on PostgreSQL (pris.ly/d/migrate-advisory-locking). */
const PRISMA_MIGRATE_LOCK = 72707369;

async function holdMigrationLock(config: DatabaseConfig): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: config.url });
  await client.connect();
  await client.query('SELECT pg_advisory_lock($1)', [PRISMA_MIGRATE_LOCK]);
  return {
    async release() {
      await client.query('SELECT pg_advisory_unlock($1)', [PRISMA_MIGRATE_LOCK]);
      await client.end();
    },
  };
}

async function missing(config: DatabaseConfig): Promise<string | null> {
  const db = await openDatabase(config);
  try {
    return await missingMigrations(db, shippedMigrations(config));
  } finally {
    await db.$disconnect();
  }
}

describe('migrating a database several processes share', () => {
  const drops: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const drop of drops.splice(0)) await drop();
  });

  it('leaves a database that is up to date alone, even while another process holds the migration lock', async () => {
    const { config, drop } = await freshDatabase('postgres');
    drops.push(drop);
    await migrateDatabase(config);
    const lock = await holdMigrationLock(config);
    try {
      await migrateDatabase(config); // would wait for the lock, then fail after 10 s, if it ran the CLI
    } finally {
      await lock.release();
    }
    expect(await missing(config)).toBeNull();
  }, 30_000);

  it('says which database it cannot reach', async () => {
    const nowhere = databaseConfig('postgresql://postgres@127.0.0.1:1/convlens_nowhere');
    await expect(migrateDatabase(nowhere)).rejects.toThrow(
      /^database migration failed: .*Can't reach database server at `127\.0\.0\.1:1`/,
    );
  });

  it("waits its turn when another process's migration holds the lock longer than Prisma waits", async () => {
    const { config, drop } = await freshDatabase('postgres');
    drops.push(drop);
    const lock = await holdMigrationLock(config);
    const released = new Promise<void>((resolve) => setTimeout(resolve, 12_000)).then(() => lock.release());
    await migrateDatabase(config);
    await released;
    expect(await missing(config)).toBeNull();
  }, 60_000);
});
