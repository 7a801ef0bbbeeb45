import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageCatalog } from '../catalog/images';
import type { ModelFiles } from '../catalog/model-files';

export { referencedAssets } from './referenced-assets';

/** Content hashes: a model is its model.json and weight files in order; an image is its file's bytes. */
export class AssetHasher {
  private readonly cache = new Map<string, Promise<string>>();

  constructor(
    private readonly models: ModelFiles,
    private readonly images: ImageCatalog,
  ) {}

  model(id: string): Promise<string> {
    return this.memo(`model:${id}`, async () => {
      const served = await this.models.get(id);
      const hash = createHash('sha256');
      for (const file of [...served.files].sort()) {
        hash.update(file);
        hash.update(await readFile(join(served.directory, file)));
      }
      return hash.digest('hex');
    });
  }

  image(id: string): Promise<string> {
    return this.memo(`image:${id}`, async () => {
      const path = this.images.resolve(id);
      if (!path) throw new Error('not on this server');
      return createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
    });
  }

  private memo(key: string, compute: () => Promise<string>): Promise<string> {
    let value = this.cache.get(key);
    if (!value) {
      value = compute();
      this.cache.set(key, value);
      value.catch(() => this.cache.delete(key));
    }
    return value;
  }
}
