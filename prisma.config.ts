// Prisma CLI configuration. DATABASE_URL picks the provider: an SQLite file
// (default) or PostgreSQL. Both use driver adapters and the JS schema engine,
// so no native engine is downloaded.
import { join } from 'node:path';
import type { PrismaConfig } from 'prisma';
import { databaseConfig, sqliteFilePath } from './server/db/config';

const db = databaseConfig();
process.env.DATABASE_URL = db.url;

export default {
  experimental: { adapter: true },
  engine: 'js',
  schema: join(db.prismaDir, 'schema.prisma'),
  migrations: { path: join(db.prismaDir, 'migrations') },
  async adapter() {
    if (db.kind === 'sqlite') {
      const { PrismaBetterSQLite3 } = await import('@prisma/adapter-better-sqlite3');
      return new PrismaBetterSQLite3({ url: sqliteFilePath(db) });
    }
    const pg = await import('pg');
    reportNameColumnsAsText(pg.default);
    const { PrismaPg } = await import('@prisma/adapter-pg');
    return new PrismaPg({ connectionString: db.url });
  },
} satisfies PrismaConfig;

// prisma/orm#27403: the schema engine cannot deserialize PostgreSQL's `name`
// (19) and `char` (18) columns that catalog queries return; read them as text.
function reportNameColumnsAsText(pg: { Result: { prototype: unknown } }): void {
  const proto = pg.Result.prototype as unknown as {
    addFields(fields: { dataTypeID: number }[]): void;
    __convlensPatched?: boolean;
  };
  if (proto.__convlensPatched) return;
  const original = proto.addFields;
  proto.addFields = function (fields) {
    for (const f of fields) if (f.dataTypeID === 19 || f.dataTypeID === 18) f.dataTypeID = 25;
    original.call(this, fields);
  };
  proto.__convlensPatched = true;
}
