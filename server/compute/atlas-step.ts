// One step of an activation atlas build, run on a compute worker: continue the unfinished atlas over
// the next images of the set for a few seconds, then hand it back. Between steps the worker is free for
// the jobs people are waiting for; the build itself runs at the lowest priority.
import { join } from 'node:path';
import type { ComputeEnv, RunOptions } from '../../lib/compute/run';
import type { LayerReceptiveField } from '../../lib/models/types';
import { decodeResult, type EncodedResult } from '../../lib/protocol/codec';
import { type ActivationAtlas, buildAtlas, layerReceptiveFields } from '../../lib/viz';
import type { ImageCatalog } from '../catalog/images';
import { decodeFilesAhead } from './image-files';

export interface AtlasStepRequest {
  kind: 'atlas-step';
  modelId: string;
  imageSetId: string;
  k: number;
  /** The set's size when the build started: a set that changed since fails the step. */
  total: number;
  /** The atlas so far (encoded); none: the first step. */
  resume?: EncodedResult<ActivationAtlas>;
  /** Stop after the batch during which this much time has passed. */
  stepMs: number;
}

export interface AtlasStepResult {
  atlas: ActivationAtlas;
  /** Receptive fields of the atlas's layers: what a query needs to place boxes without the model. */
  receptiveFields: Record<string, LayerReceptiveField>;
  inputSize: { height: number; width: number };
}

const BATCH = 16;

export async function runAtlasStep(
  env: ComputeEnv,
  images: ImageCatalog,
  request: AtlasStepRequest,
  options: RunOptions,
): Promise<AtlasStepResult> {
  const model = await env.loadModel(request.modelId);
  const set = images.wholeSet(request.imageSetId);
  if (set.images.length !== request.total) {
    throw new Error(`the image set ${request.imageSetId} changed during the atlas build`);
  }
  const resume = request.resume && decodeResult(request.resume);
  const rest = set.images.slice(resume?.imagesSeen ?? 0);
  const idOf = new Map<string, string>();
  const files = rest.map((entry) => {
    const file = join(set.dir, entry.file);
    idOf.set(file, entry.id);
    return file;
  });
  const atlas = await buildAtlas(
    env.tf,
    model,
    decodeFilesAhead(files, model.manifest, { idOf: (file) => idOf.get(file)! }),
    {
      k: request.k,
      batchSize: BATCH,
      total: request.total,
      resume,
      stopAfterMs: request.stepMs,
      onProgress: options.onProgress,
      signal: options.signal,
    },
  );
  const fields = layerReceptiveFields(model.layers);
  const { height, width } = model.manifest.inputSize;
  return {
    atlas,
    receptiveFields: Object.fromEntries(atlas.layers.map((l) => [l.name, fields.get(l.name)!])),
    inputSize: { height, width },
  };
}
