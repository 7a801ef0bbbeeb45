// Writes a migration for both providers from the change in prisma/schema.base.prisma.
// Usage: npm run db:migration -- <name>
// `prisma migrate dev` cannot run here (no native engine), so the SQL comes from
// `prisma migrate diff` between the schema of the last migration (kept beside
// the migrations as migrated.prisma) and the current one.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const name = process.argv[2];
if (!name || !/^[a-z0-9_]+$/.test(name)) {
  console.error('usage: npm run db:migration -- <name in snake_case>');
  process.exit(2);
}
const root = join(import.meta.dirname, '..');
execFileSync('npx', ['tsx', join(root, 'scripts/write-schemas.ts')], { stdio: 'inherit' });

const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
for (const [dir, url] of [
  ['sqlite', 'file:./data/convlens.db'],
  ['postgres', process.env.MIGRATION_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'],
] as const) {
  const prismaDir = join(root, 'prisma', dir);
  const schema = join(prismaDir, 'schema.prisma');
  const migrated = join(prismaDir, 'migrated.prisma');
  const from = existsSync(migrated) ? ['--from-schema-datamodel', migrated] : ['--from-empty'];
  const sql = execFileSync(
    'npx',
    ['prisma', 'migrate', 'diff', ...from, '--to-schema-datamodel', schema, '--script'],
    { cwd: root, env: { ...process.env, DATABASE_URL: url }, encoding: 'utf8' },
  );
  if (/^-- This is an empty migration/m.test(sql)) {
    console.log(`${dir}: no change`);
    continue;
  }
  const out = join(prismaDir, 'migrations', `${stamp}_${name}`);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'migration.sql'), sql);
  const lock = join(prismaDir, 'migrations', 'migration_lock.toml');
  const provider = dir === 'sqlite' ? 'sqlite' : 'postgresql';
  writeFileSync(lock, `# Written by scripts/new-migration.ts\nprovider = "${provider}"\n`);
  copyFileSync(schema, migrated);
  console.log(`${dir}: wrote ${out}/migration.sql`);
}
