// Brings a database to the schema this build ships. Several processes may start at once against one PostgreSQL
// database (servers and compute workers): `prisma migrate deploy` serialises them with an advisory lock but gives
// up after 10 s of waiting for it, which a long migration or a busy machine exceeds. So a database that is already
// up to date is left alone (no CLI, no lock), and a process that timed out on the lock waits its turn again.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { openDatabase } from './client';
import { type DatabaseConfig, projectRoot } from './config';
import { missingMigrations, shippedMigrations } from './migration-status';

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

/**
 * `prisma migrate deploy` with the JS schema engine (see prisma.config.ts). The CLI prints its last line once the
 * migrations are committed and its engine stopped, but then lingers ~10 s on a timer its engine left (keeping its
 * connection, and so the migration lock): it is stopped once that line is out.
 */
function deploy(config: DatabaseConfig): Promise<void> {
  const prisma = join(projectRoot, 'node_modules/.bin/prisma');
  return new Promise((resolve, reject) => {
    const child = spawn(prisma, ['migrate', 'deploy'], {
      cwd: projectRoot,
      env: { ...process.env, DATABASE_URL: config.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let done = false;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (!done && DEPLOYED.test(stdout)) {
        done = true;
        resolve();
        child.kill();
      }
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', (error) => {
      if (!done) reject(new Error(`database migration failed: ${error.message}`));
      done = true;
    });
    child.on('close', (code) => {
      if (done) return;
      done = true;
      if (code === 0) return resolve();
      const output = (stderr || stdout).trim().split('\n').slice(-3).join(' ');
      const message = `database migration failed: ${output || `prisma exited with ${code}`}`;
      reject(/advisory lock/i.test(stderr) ? new LockTimeout(message) : new Error(message));
    });
  });
}

/** What `migrate deploy` prints last when it succeeded, with or without migrations to apply. */
const DEPLOYED = /All migrations have been successfully applied\.|No pending migrations to apply\./;
