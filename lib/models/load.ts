// Loading a model from its manifest through a tf.io handler: HTTP in the browser (or any fetch), a file-system
// or in-memory handler on the server. Shaped like tfjs-models: loadModel(tf, source, options).
import type { io } from '@tensorflow/tfjs';
import type { LayersModel, Tf } from '@/lib/tf';
import { disposeDerived } from './derived';
import { layerGraph } from './graph';
import { indexLabels } from './infer';
import { parseManifest } from './manifest';
import type { LoadedModel, ModelManifest, ModelOrigin } from './types';

/** A manifest together with the handler that reads its model.json and weights. */
export interface ModelArtifactsSource {
  manifest: ModelManifest;
  handler: io.IOHandler;
  origin?: ModelOrigin;
}

/** A manifest URL (absolute, or a path on the current origin such as "/models/mnist-cnn/manifest.json"). */
export interface ManifestUrlSource {
  manifestUrl: string;
}

export type ModelSource = string | ManifestUrlSource | ModelArtifactsSource;

export interface LoadModelOptions {
  /** Used for the manifest, model.json and weights; defaults to the global fetch. */
  fetchFunc?: typeof fetch;
  /** Fraction of the weights loaded, 0..1 (HTTP sources). */
  onProgress?: (fraction: number) => void;
}

export async function loadModel(
  tf: Tf,
  source: ModelSource,
  options: LoadModelOptions = {},
): Promise<LoadedModel> {
  const artifacts = isArtifactsSource(source) ? source : await httpSource(tf, source, options);
  const model = await tf.loadLayersModel(artifacts.handler);
  try {
    const manifest = withIndexLabels(artifacts.manifest, outputCount(model));
    checkModelMatchesManifest(model, manifest);
    return loadedModel({
      manifest,
      model,
      layers: layerGraph(model),
      ...(artifacts.origin ? { origin: artifacts.origin } : {}),
    });
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** A LoadedModel whose dispose() also releases what was derived from it (derived.ts). */
export function loadedModel(parts: Omit<LoadedModel, 'dispose'>): LoadedModel {
  const loaded: LoadedModel = {
    ...parts,
    dispose: () => {
      disposeDerived(loaded);
      parts.model.dispose();
    },
  };
  return loaded;
}

function isArtifactsSource(source: ModelSource): source is ModelArtifactsSource {
  return typeof source === 'object' && 'handler' in source;
}

async function httpSource(
  tf: Tf,
  source: string | ManifestUrlSource,
  options: LoadModelOptions,
): Promise<ModelArtifactsSource> {
  const manifestUrl = typeof source === 'string' ? source : source.manifestUrl;
  const fetchFunc = options.fetchFunc ?? fetch;
  let response: Response;
  try {
    response = await fetchFunc(manifestUrl);
  } catch (error) {
    throw new Error(`could not fetch model manifest ${manifestUrl}: ${(error as Error).message}`);
  }
  if (!response.ok) throw new Error(`could not fetch model manifest ${manifestUrl}: HTTP ${response.status}`);
  const manifest = parseManifest(await response.json(), { where: manifestUrl });
  const modelUrl = resolveUrl(manifestUrl, manifest.modelUrl);
  const handler = tf.io.http(modelUrl, {
    fetchFunc: options.fetchFunc,
    onProgress: options.onProgress,
  });
  return { manifest, handler, origin: { kind: 'url', location: manifestUrl } };
}

/** Resolves a path relative to a URL's directory; works for absolute URLs and origin-relative paths. */
export function resolveUrl(base: string, relative: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(relative)) return relative;
  if (/^[a-z][a-z0-9+.-]*:/i.test(base)) return new URL(relative, base).toString();
  if (relative.startsWith('/')) return relative;
  const directory = base.slice(0, base.lastIndexOf('/') + 1);
  return `${directory}${relative}`;
}

/** The model must take the manifest's input size and produce one score per label. */
export function checkModelMatchesManifest(model: LayersModel, manifest: ModelManifest): void {
  if (model.inputs.length !== 1)
    throw new Error(`model ${manifest.id} has ${model.inputs.length} inputs, expected 1`);
  const [, height, width, channels] = model.inputs[0].shape;
  const expected = manifest.inputSize;
  if (height !== expected.height || width !== expected.width || channels !== expected.channels) {
    throw new Error(
      `model ${manifest.id} takes input [${height}, ${width}, ${channels}], its manifest says ` +
        `[${expected.height}, ${expected.width}, ${expected.channels}]`,
    );
  }
  const classes = outputCount(model);
  if (classes !== manifest.labels.length) {
    throw new Error(
      `model ${manifest.id} has ${classes} outputs but its manifest lists ${manifest.labels.length} labels`,
    );
  }
}

function outputCount(model: LayersModel): number {
  return model.outputs[0].shape.slice(1).reduce<number>((product, dim) => product * (dim ?? 1), 1);
}

/** A manifest without labels (see infer.ts): name the classes by index. */
function withIndexLabels(manifest: ModelManifest, classes: number): ModelManifest {
  if (manifest.labels.length > 0) return manifest;
  return { ...manifest, labels: indexLabels(classes) };
}
