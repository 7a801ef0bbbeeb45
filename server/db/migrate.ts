// Brings a database to the schema this build ships. Several processes may start at once against one PostgreSQL
// database (servers and compute workers): `prisma migrate deploy` serialises them with an advisory lock but gives
// up after 10 s of waiting for it, which a busy machine exceeds. So a database that is already up to date is left
// alone (no CLI, no lock), and a process that timed out on the lock waits its turn again.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { openDatabase } from './client';
import { type DatabaseConfig, projectRoot } from './config';
import { missingMigrations, shippedMigrations } from './migration-status';

const execFileAsync = promisify(execFile);

/** How many times a process waits for another one's migration (each wait is Prisma's 10 s lock timeout). */
const LOCK_ATTEMPTS = 12;

export async function migrateDatabase(config: DatabaseConfig): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    if (await isUpToDate(config)) return;
    try {
      await deploy(config);
      return;
    } catch (error) {
      if (!(error instanceof LockTimeout) || attempt >= LOCK_ATTEMPTS) throw error;
    }
  }
}

async function isUpToDate(config: DatabaseConfig): Promise<boolean> {
  try {
    const db = await openDatabase(config);
    try {
      return (await missingMigrations(db, shippedMigrations(config))) === null;
    } finally {
      await db.$disconnect();
    }
  } catch {
    return false; // no database yet: `migrate deploy` creates it
  }
}

class LockTimeout extends Error {}

/** `prisma migrate deploy` with the JS schema engine (see prisma.config.ts). */
async function deploy(config: DatabaseConfig): Promise<void> {
  const prisma = join(projectRoot, 'node_modules/.bin/prisma');
  try {
    await execFileAsync(prisma, ['migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: config.url },
    });
  } catch (error) {
    const output = (error as { stderr?: string; stdout?: string }).stderr || String(error);
    const message = `database migration failed: ${output.trim().split('\n').slice(-3).join(' ')}`;
    throw /advisory lock/i.test(output) ? new LockTimeout(message) : new Error(message);
  }
}
