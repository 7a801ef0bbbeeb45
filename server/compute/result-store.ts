import type { EncodedResult } from '../../lib/compute/codec';
import type { Db } from '../db/client';

/** Results kept across restarts (replays of old sessions reuse them). */
export interface ResultStore {
  get(key: string): Promise<{ result: EncodedResult; backend: string; ms: number } | null>;
  put(
    key: string,
    kind: string,
    value: { result: EncodedResult; backend: string; ms: number },
  ): Promise<void>;
}

const MAX_STORED_BYTES = 16 * 1024 * 1024;

export class DatabaseResultStore implements ResultStore {
  constructor(private readonly db: Db) {}

  async get(key: string) {
    const row = await this.db.resultCache.findUnique({ where: { key } });
    if (!row) return null;
    const { meta, backend, ms } = JSON.parse(row.meta) as { meta: unknown; backend: string; ms: number };
    return { result: { meta, bytes: new Uint8Array(row.bytes) }, backend, ms };
  }

  async put(key: string, kind: string, value: { result: EncodedResult; backend: string; ms: number }) {
    if (value.result.bytes.byteLength > MAX_STORED_BYTES) return;
    const meta = JSON.stringify({ meta: value.result.meta, backend: value.backend, ms: value.ms });
    const bytes = new Uint8Array(value.result.bytes);
    await this.db.resultCache.upsert({ where: { key }, create: { key, kind, meta, bytes }, update: {} });
  }
}
