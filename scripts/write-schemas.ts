// Writes the per-provider Prisma schemas from prisma/schema.base.prisma.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const base = readFileSync(join(root, 'prisma/schema.base.prisma'), 'utf8');

for (const provider of ['sqlite', 'postgresql'] as const) {
  const dir = provider === 'sqlite' ? 'sqlite' : 'postgres';
  const header = `// GENERATED from prisma/schema.base.prisma by scripts/write-schemas.ts: edit that file instead.

generator client {
  provider        = "prisma-client-js"
  output          = "../../generated/${dir}"
  engineType      = "client"
}

datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}
`;
  const body = base.replace(/^\/\/.*\n/gm, '');
  writeFileSync(join(root, 'prisma', dir, 'schema.prisma'), `${header}${body}`);
}
