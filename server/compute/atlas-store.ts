// Finished activation atlases in the database (ActivationAtlas): one row per identity, the atlas as one
// byte buffer (lib/viz/atlas-codec) beside what a query needs without the model.
import type { LayerReceptiveField } from '../../lib/models/types';
import { type ActivationAtlas, atlasFromBytes, atlasToBytes } from '../../lib/viz';
import type { Db } from '../db/client';
import type { AtlasIdentity } from './atlas-identity';

export interface StoredAtlas {
  atlas: ActivationAtlas;
  receptiveFields: Record<string, LayerReceptiveField>;
  inputSize: { height: number; width: number };
  /** The backend that built it, and how long the build took. */
  backend: string;
  ms: number;
  /** Encoded size: what keeping it in memory costs. */
  bytes: number;
}

interface StoredMeta {
  receptiveFields: Record<string, LayerReceptiveField>;
  inputSize: { height: number; width: number };
  backend: string;
  ms: number;
}

export class AtlasStore {
  constructor(private readonly db: Db) {}

  async get(key: string): Promise<StoredAtlas | null> {
    const row = await this.db.activationAtlas.findUnique({ where: { key } });
    if (row?.status !== 'done' || !row.bytes) return null;
    const meta = JSON.parse(row.meta) as StoredMeta;
    const bytes = new Uint8Array(row.bytes);
    return { ...meta, atlas: atlasFromBytes(bytes), bytes: bytes.byteLength };
  }

  async has(key: string): Promise<boolean> {
    const row = await this.db.activationAtlas.findUnique({ where: { key }, select: { status: true } });
    return row?.status === 'done';
  }

  async put(identity: AtlasIdentity, value: Omit<StoredAtlas, 'bytes'>): Promise<number> {
    const bytes = atlasToBytes(value.atlas);
    const meta: StoredMeta = {
      receptiveFields: value.receptiveFields,
      inputSize: value.inputSize,
      backend: value.backend,
      ms: value.ms,
    };
    const row = {
      modelId: identity.modelId,
      imageSetId: identity.imageSetId,
      status: 'done',
      done: value.atlas.imagesSeen,
      total: identity.total,
      error: null,
      meta: JSON.stringify(meta),
      bytes,
      updatedAt: new Date(),
    };
    await this.db.activationAtlas.upsert({
      where: { key: identity.key },
      create: { key: identity.key, ...row },
      update: row,
    });
    return bytes.byteLength;
  }
}
