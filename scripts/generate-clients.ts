// Generates the Prisma client of each provider (run by `npm install`).
// prisma.config.ts picks the schema from DATABASE_URL, so each run sets one.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const prisma = join(root, 'node_modules/.bin/prisma');
for (const url of ['file:./data/convlens.db', 'postgres://localhost/convlens']) {
  execFileSync(prisma, ['generate'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DATABASE_URL: url },
  });
}
console.log('Prisma clients generated for SQLite and PostgreSQL (generated/)');
