// Whether the database a server talks to has the schema its code expects: every migration folder shipped under
// prisma/<kind>/migrations applied (Prisma records them in _prisma_migrations), and nothing half-applied.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './client';
import type { DatabaseConfig } from './config';

/** The migrations this build ships, oldest first (Prisma names them by timestamp). */
export function shippedMigrations(config: Pick<DatabaseConfig, 'prismaDir'>): string[] {
  return readdirSync(join(config.prismaDir, 'migrations'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Null when every shipped migration is applied; otherwise what is missing, in words an operator can act on. */
export async function missingMigrations(db: Db, shipped: readonly string[]): Promise<string | null> {
  let applied: Set<string>;
  try {
    const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    applied = new Set(rows.map((row) => row.migration_name));
  } catch {
    return 'no migrations applied (the _prisma_migrations table is missing); restart the server to migrate';
  }
  const missing = shipped.filter((name) => !applied.has(name));
  if (missing.length === 0) return null;
  return `${missing.length} of ${shipped.length} migrations not applied (first: ${missing[0]}); restart the server to migrate`;
}
