import type { ComputeEnv } from '../../lib/compute/run';
import type { LoadedModel } from '../../lib/models/types';
import type { Tf } from '../../lib/tf';
import type { SourceImage } from '../../lib/viz';
import type { ImageCatalog } from '../catalog/images';
import { decodeForModel } from '../images/decode';
import { availableModel } from '../models/catalog';
import { loadServerModel } from '../models/load';

const MAX_CACHED_MODELS = 4;

/**
 * Clients name models by catalog id only. The loader also accepts paths and URLs
 * (for the CLI), which a client must never reach: no reading folders, no fetching.
 */
async function catalogModel(modelId: string): Promise<string> {
  return (await availableModel(modelId)).id;
}

/** How the server finds models (built-in, packs) and images (catalog files decoded with sharp). */
export function createServerComputeEnv(tf: Tf, images: ImageCatalog): ComputeEnv {
  const models = new Map<string, Promise<LoadedModel>>();

  function loadModel(modelId: string): Promise<LoadedModel> {
    let model = models.get(modelId);
    if (!model) {
      model = catalogModel(modelId).then((id) => loadServerModel(tf, id));
      models.set(modelId, model);
      model.catch(() => models.delete(modelId));
      if (models.size > MAX_CACHED_MODELS) {
        const [oldest, evicted] = models.entries().next().value as [string, Promise<LoadedModel>];
        models.delete(oldest);
        evicted.then(
          (m) => m.dispose(),
          () => undefined,
        );
      }
    }
    return model;
  }

  function pathOf(imageId: string): string {
    const path = images.resolve(imageId);
    if (!path) throw new Error(`unknown image "${imageId}"`);
    return path;
  }

  return {
    tf,
    loadModel,
    async loadImage(imageId, model) {
      return decodeForModel(pathOf(imageId), model.manifest);
    },
    async openImageSet(setId, model) {
      const set = images.wholeSet(setId);
      async function* read(): AsyncGenerator<SourceImage> {
        for (const entry of set.images) {
          yield { id: entry.id, pixels: await decodeForModel(pathOf(entry.id), model.manifest) };
        }
      }
      return { total: set.images.length, images: read() };
    },
  };
}
