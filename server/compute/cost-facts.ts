import type { CostFacts } from '../../lib/compute/cost';
import type { ComputeRequest } from '../../lib/protocol/compute';
import type { ImageCatalog } from '../catalog/images';
import { availableModel } from '../models/catalog';
import { resolveModelSource } from '../models/load';
import { ComputeError } from './errors';

/**
 * What a request's cost depends on, read from the catalog without loading any weights. A request naming a model,
 * image set or image this server does not have is refused here, before a worker loads the model for it.
 */
export function createCostFacts(images: ImageCatalog): (request: ComputeRequest) => Promise<CostFacts> {
  const inputSizes = new Map<string, Promise<CostFacts['inputSize']>>();

  function inputSize(modelId: string): Promise<CostFacts['inputSize']> {
    let size = inputSizes.get(modelId);
    if (!size) {
      size = (async () => {
        const listed = await availableModel(modelId).catch((error: Error) => {
          throw new ComputeError('bad-request', error.message);
        });
        return (await resolveModelSource(listed.id)).manifest.inputSize;
      })();
      inputSizes.set(modelId, size);
      size.catch(() => inputSizes.delete(modelId));
    }
    return size;
  }

  function wholeSetSize(setId: string): number {
    try {
      return images.wholeSet(setId).images.length;
    } catch (error) {
      throw new ComputeError('bad-request', (error as Error).message);
    }
  }

  return async (request) => {
    if ('imageId' in request && images.resolve(request.imageId) === null) {
      throw new ComputeError(
        'bad-request',
        `unknown image "${request.imageId}" (not in this server's catalog)`,
      );
    }
    return {
      inputSize: await inputSize(request.modelId),
      imageSetSize: request.kind === 'top-activating' ? wholeSetSize(request.imageSetId) : undefined,
    };
  };
}
