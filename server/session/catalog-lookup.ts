import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseModelJson } from '../../lib/models/model-json';
import { topologyGraph } from '../../lib/models/topology';
import type { ImageCatalog } from '../catalog/images';
import type { ModelFiles } from '../catalog/model-files';
import type { CatalogLookup, ModelShape } from './checks';

const MAX_SHAPES = 16;

/** The catalog as session checks see it: a model's shape read from model.json (no weights, no tf.js). */
export function catalogLookup(models: ModelFiles, images: ImageCatalog): CatalogLookup {
  const shapes = new Map<string, Promise<ModelShape | null>>();
  return {
    model(modelId) {
      let shape = shapes.get(modelId);
      if (!shape) {
        shape = readShape(models, modelId);
        shapes.set(modelId, shape);
        if (shapes.size > MAX_SHAPES) shapes.delete(shapes.keys().next().value as string);
        // A model that is missing now may be uploaded later: only found shapes are kept.
        shape.then((found) => found ?? shapes.delete(modelId));
      }
      return shape;
    },
    imageExists: (imageId) => images.resolve(imageId) !== null,
  };
}

async function readShape(models: ModelFiles, modelId: string): Promise<ModelShape | null> {
  try {
    const served = await models.get(modelId);
    const text = await readFile(join(served.directory, served.manifest.modelUrl), 'utf8');
    return { manifest: served.manifest, layers: topologyGraph(parseModelJson(text)).layers };
  } catch {
    return null;
  }
}
