// What is known about a model from model.json alone, before tf.js builds it or reads a weight: its layer graph,
// its size against the limits, and whether a manifest fits it. Uploads and the server's catalog both use it.
import { type ActivationSize, checkActivationSize, MODEL_LIMITS, type ModelLimits } from './limits';
import { ManifestError } from './manifest';
import type { ModelJson } from './model-json';
import { layerValues, type TopologyGraph, topologyGraph } from './topology';
import type { ModelManifest } from './types';

export interface InspectedModel extends TopologyGraph {
  /** [height, width, channels] of the image input. */
  inputShape: number[];
  /** Values the output layer gives for one image: one per class. */
  classes: number;
  size: ActivationSize;
}

/** Throws TopologyError or ModelLimitError (each naming the layer) when the model cannot be admitted. */
export function inspectModelJson(modelJson: ModelJson, limits: ModelLimits = MODEL_LIMITS): InspectedModel {
  const graph = topologyGraph(modelJson);
  const size = checkActivationSize(graph.layers, limits);
  return { ...graph, inputShape: graph.layers[0].outputShape, classes: layerValues(graph.output), size };
}

/** The manifest must describe the model's input and name one label per output (or none: filled at load). */
export function checkManifestFits(manifest: ModelManifest, model: InspectedModel, where: string): void {
  const problems: string[] = [];
  const { height, width, channels } = manifest.inputSize;
  const [h, w, c] = model.inputShape;
  if (model.inputShape.length !== 3 || h !== height || w !== width || c !== channels) {
    problems.push(
      `inputSize is [${height}, ${width}, ${channels}] but the model takes [${model.inputShape.join(', ')}]`,
    );
  }
  if (manifest.labels.length > 0 && manifest.labels.length !== model.classes) {
    problems.push(`labels lists ${manifest.labels.length} names but the model has ${model.classes} outputs`);
  }
  if (problems.length > 0) throw new ManifestError(where, problems);
}
