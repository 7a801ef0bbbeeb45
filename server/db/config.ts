import { mkdirSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';

export type DatabaseKind = 'sqlite' | 'postgres';

export interface DatabaseConfig {
  kind: DatabaseKind;
  /** For sqlite: an absolute `file:` URL. For postgres: the URL as given. */
  url: string;
  /** Folder of the provider's schema.prisma and migrations. */
  prismaDir: string;
}

export const projectRoot = resolve(import.meta.dirname, '../..');
export const DEFAULT_DATABASE_URL = 'file:./data/convlens.db';

/** Reads DATABASE_URL (default: an SQLite file under ./data) and names the provider. */
export function databaseConfig(rawUrl = process.env.DATABASE_URL): DatabaseConfig {
  const url = rawUrl?.trim() || DEFAULT_DATABASE_URL;
  if (/^postgres(ql)?:\/\//i.test(url)) {
    return { kind: 'postgres', url, prismaDir: resolve(projectRoot, 'prisma/postgres') };
  }
  if (url.startsWith('file:')) {
    const path = url.slice('file:'.length);
    const absolute = isAbsolute(path) ? path : resolve(projectRoot, path);
    return { kind: 'sqlite', url: `file:${absolute}`, prismaDir: resolve(projectRoot, 'prisma/sqlite') };
  }
  throw new Error(
    `DATABASE_URL must start with file: (SQLite) or postgres:// (PostgreSQL); got "${url.split(':')[0]}:…"`,
  );
}

export function sqliteFilePath(config: DatabaseConfig): string {
  const path = config.url.slice('file:'.length);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
