// What an activation atlas is a function of: the model's weights (content hash), the image set's images
// (ids and sizes), the preprocessing and input size that turn them into inputs, and k. Its database key
// hashes all of them, so a changed model or set gets a new atlas and a stored one is never stale.
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageCatalog } from '../catalog/images';
import type { ModelFiles } from '../catalog/model-files';
import type { AssetHasher } from '../replay/assets';

/** Bump when the meaning of a stored atlas changes. */
export const ATLAS_FORMAT = 1;

export interface AtlasIdentity {
  key: string;
  modelId: string;
  imageSetId: string;
  k: number;
  /** Images in the set. */
  total: number;
}

export interface AtlasIdentitySources {
  models: ModelFiles;
  images: ImageCatalog;
  hasher: AssetHasher;
}

export async function atlasIdentity(
  sources: AtlasIdentitySources,
  modelId: string,
  imageSetId: string,
  k: number,
): Promise<AtlasIdentity> {
  const set = sources.images.wholeSet(imageSetId);
  const [served, modelHash, sizes] = await Promise.all([
    sources.models.get(modelId),
    sources.hasher.model(modelId),
    Promise.all(set.images.map(async (entry) => (await stat(join(set.dir, entry.file))).size)),
  ]);
  const { preprocessing, inputSize } = served.manifest;
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ format: ATLAS_FORMAT, modelHash, preprocessing, inputSize, k, imageSetId }));
  set.images.forEach((entry, i) => {
    hash.update(`\n${entry.id}\t${sizes[i]}`);
  });
  return {
    key: `atlas-${hash.digest('hex').slice(0, 40)}`,
    modelId,
    imageSetId,
    k,
    total: set.images.length,
  };
}
