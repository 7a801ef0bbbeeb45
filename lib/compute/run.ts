// One entry point for every derived result. The server's worker threads and the
// browser's Web Worker both call runCompute with their own environment (how to
// load a model, an image, an image set), so the numbers come from the same code.
import type { LoadedModel } from '../models/types';
import type { ComputeRequest } from '../protocol/compute';
import type { Tf } from '../tf';
import type { PixelImage } from '../viz';
import {
  clipBox,
  coarseStrideFor,
  convLayerNames,
  featureMaps,
  featureVisualization,
  filterSimilarity,
  type ImageSource,
  layerReceptiveFields,
  neuronBox,
  occludedProbability,
  occlusionMap,
  predictImage,
  preferredInputs,
  readFilterBank,
  renderColourFilters,
  renderMeanTiles,
  topActivating,
} from '../viz';
import type { ComputeResults, FiltersResult, PredictResult } from './types';

export interface ComputeEnv {
  tf: Tf;
  loadModel(modelId: string): Promise<LoadedModel>;
  /** The image decoded and resized to the model's input size, 0..255 RGB (or grey). */
  loadImage(imageId: string, model: LoadedModel): Promise<PixelImage>;
  openImageSet(setId: string, model: LoadedModel): Promise<{ total: number; images: ImageSource }>;
}

/** Steps between feature-visualisation previews (after steps 1, 2, 4 and 8 too): ~16 images a run. */
const FEATURE_VIS_PREVIEW_EVERY = 16;

export interface RunOptions {
  onProgress?: (progress: { done: number; total?: number }) => void;
  /** An early, coarser version of the result (occlusion: a coarse grid first). */
  onPartial?: (partial: unknown) => void;
  signal?: AbortSignal;
}

export type ResultOf<R extends ComputeRequest> = ComputeResults[R['kind']];

export async function runCompute<R extends ComputeRequest>(
  env: ComputeEnv,
  request: R,
  options: RunOptions = {},
): Promise<ResultOf<R>> {
  return (await dispatch(env, request, options)) as ResultOf<R>;
}

async function dispatch(env: ComputeEnv, request: ComputeRequest, options: RunOptions): Promise<unknown> {
  const { tf } = env;
  const model = await env.loadModel(request.modelId);
  switch (request.kind) {
    case 'model-info':
      return { manifest: model.manifest, layers: model.layers };
    case 'predict':
      return predict(tf, model, await env.loadImage(request.imageId, model));
    case 'occlusion': {
      const image = await env.loadImage(request.imageId, model);
      return occlusionMap(tf, model, image, {
        patch: request.patch,
        stride: request.stride,
        fill: request.fill,
        classIndex: request.classIndex ?? undefined,
        mode: request.mode,
        // Recomputes only what each patch reaches: the full pass's numbers to float rounding (docs/viz.md).
        method: 'incremental',
        // A coarse map of at most 64 cells first: under a second on wasm (docs/benchmarks.md).
        coarseStride: coarseStrideFor(image, { patch: request.patch, stride: request.stride }),
        onCoarse: options.onPartial,
        onProgress: options.onProgress,
        signal: options.signal,
      });
    }
    case 'probe': {
      const image = await env.loadImage(request.imageId, model);
      return occludedProbability(tf, model, image, {
        y: request.y,
        x: request.x,
        patch: request.patch,
        fill: request.fill,
        classIndex: request.classIndex ?? undefined,
      });
    }
    case 'filters':
      return filters(tf, model, request.layer);
    case 'activations':
      return featureMaps(tf, model, await env.loadImage(request.imageId, model), request.layer);
    case 'top-activating': {
      const { total, images } = await env.openImageSet(request.imageSetId, model);
      const fields = layerReceptiveFields(model.layers);
      const field = fields.get(request.layer);
      if (!field) throw new Error(`unknown layer "${request.layer}"`);
      const { height, width } = model.manifest.inputSize;
      return topActivating(tf, model, images, {
        layer: request.layer,
        channels: request.channels,
        k: request.k,
        total,
        receptiveFieldOf: (y, x) => {
          const box = neuronBox(field, y, x);
          return { box, clippedBox: clipBox(box, height, width) };
        },
        onProgress: options.onProgress,
        signal: options.signal,
      });
    }
    case 'feature-vis':
      return featureVisualization(
        tf,
        model,
        {
          objective: request.objective,
          steps: request.steps,
          learningRate: request.learningRate,
          size: request.size ?? undefined,
          seed: request.seed,
          images: request.images,
          diversity: request.diversity,
          previewEvery: FEATURE_VIS_PREVIEW_EVERY,
        },
        { onPreview: options.onPartial, onProgress: options.onProgress, signal: options.signal },
      );
    default:
      return assertNever(request);
  }
}

async function predict(tf: Tf, model: LoadedModel, image: PixelImage): Promise<PredictResult> {
  const probs = await predictImage(tf, model, image);
  const order = Array.from(probs.keys())
    .sort((a, b) => probs[b] - probs[a])
    .slice(0, 5);
  const labels = model.manifest.labels;
  return {
    probs,
    top: order.map((index) => ({ index, label: labels[index] ?? String(index), prob: probs[index] })),
  };
}

async function filters(tf: Tf, model: LoadedModel, layer: string): Promise<FiltersResult> {
  const bank = await readFilterBank(tf, model, layer);
  const first = convLayerNames(model)[0] === layer;
  const colour = first && (bank.inChannels === 3 || bank.inChannels === 1);
  return {
    layer,
    kernel: [bank.kernelHeight, bank.kernelWidth],
    inChannels: bank.inChannels,
    count: bank.count,
    tiles: colour ? renderColourFilters(bank, 'per-filter') : renderMeanTiles(bank, 'per-filter'),
    sharedTiles: colour ? renderColourFilters(bank, 'shared') : renderMeanTiles(bank, 'shared'),
    preferred: colour ? preferredInputs(bank).tiles : [],
    similarity: await filterSimilarity(tf, bank),
  };
}

function assertNever(value: never): never {
  throw new Error(`unknown compute request ${JSON.stringify(value)}`);
}
