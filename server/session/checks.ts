// Actions are checked against the model and the catalog before they reach the log, so the state never
// needs repair downstream: every layer, neuron, image and occlusion setting in it is one the model has.
import type { Action } from '../../lib/protocol/actions';
import type { LayerInfo, ModelManifest } from '../../lib/protocol/model';
import { clampProbe, fitOcclusion, occlusionProblem, probeFits } from '../../lib/protocol/occlusion-grid';
import type { Neuron } from '../../lib/protocol/primitives';
import type { SessionState } from '../../lib/protocol/state';
import { SessionError } from './errors';

/** What the checks need to know about a model: its manifest and its layer graph. */
export interface ModelShape {
  manifest: Pick<ModelManifest, 'inputSize' | 'labels'>;
  layers: readonly Pick<LayerInfo, 'name' | 'outputShape'>[];
}

export interface CatalogLookup {
  /** The model's shape, or null when this server has no such model. */
  model(modelId: string): Promise<ModelShape | null>;
  imageExists(imageId: string): boolean;
}

/** Throws a `bad-request` SessionError naming what does not fit; returns when the action may be logged. */
export async function checkAction(
  catalog: CatalogLookup,
  state: SessionState,
  action: Action,
): Promise<void> {
  switch (action.type) {
    case 'model.set':
      await requireModel(catalog, action.modelId);
      return;
    case 'image.set':
      if (!catalog.imageExists(action.imageId)) refuse(`this server has no image "${action.imageId}"`);
      return;
    case 'layer.set':
      layerOf(await requireModel(catalog, state.modelId), action.layer);
      return;
    case 'neuron.set':
      if (action.neuron) checkNeuron(await requireModel(catalog, state.modelId), action.neuron);
      return;
    case 'neuron.pin':
      checkNeuron(await requireModel(catalog, state.modelId), action.neuron);
      return;
    case 'channels.set':
    case 'filters.set': {
      if (!state.layer) return;
      const layer = layerOf(await requireModel(catalog, state.modelId), state.layer);
      const wanted = action.type === 'channels.set' ? action.channels : [action.display.selected ?? 0];
      const count = layer.outputShape.at(-1) ?? 0;
      const outside = wanted.find((c) => c >= count);
      if (outside !== undefined)
        refuse(`layer ${layer.name} has ${count} channels; there is no channel ${outside}`);
      return;
    }
    case 'occlusion.set': {
      const { manifest } = await requireModel(catalog, state.modelId);
      const problem = occlusionProblem(action.params, manifest.inputSize);
      if (problem) refuse(problem);
      const classes = manifest.labels.length;
      if (action.params.classIndex !== null && action.params.classIndex >= classes) {
        refuse(`the model has ${classes} classes; there is no class ${action.params.classIndex}`);
      }
      return;
    }
    case 'probe.set':
      if (action.probe) await checkProbe(catalog, state, action.probe);
      return;
    default:
      return;
  }
}

/** A dragged patch must stay centred on the image, like the one that is let go. */
export async function checkProbe(
  catalog: CatalogLookup,
  state: SessionState,
  probe: { y: number; x: number },
): Promise<void> {
  const { manifest } = await requireModel(catalog, state.modelId);
  const { patch } = fitOcclusion(state.occlusion, manifest.inputSize);
  if (!probeFits(probe, patch, manifest.inputSize)) {
    const nearest = clampProbe(probe, patch, manifest.inputSize);
    refuse(`the patch must stay centred on the image (nearest place: y ${nearest.y}, x ${nearest.x})`);
  }
}

async function requireModel(catalog: CatalogLookup, modelId: string): Promise<ModelShape> {
  const model = await catalog.model(modelId);
  if (!model) refuse(`this server has no model "${modelId}"`);
  return model;
}

function layerOf(model: ModelShape, name: string): ModelShape['layers'][number] {
  const layer = model.layers.find((l) => l.name === name);
  if (!layer) refuse(`the model has no layer "${name}"`);
  return layer;
}

function checkNeuron(model: ModelShape, neuron: Neuron): void {
  const layer = layerOf(model, neuron.layer);
  const shape = layer.outputShape;
  const [height, width, channels] = shape.length === 3 ? shape : [1, 1, shape.at(-1) ?? 0];
  if (neuron.channel >= channels || neuron.y >= height || neuron.x >= width) {
    refuse(
      `layer ${layer.name} outputs ${height}×${width}×${channels}: there is no neuron at channel ${neuron.channel}, y ${neuron.y}, x ${neuron.x}`,
    );
  }
}

function refuse(message: string): never {
  throw new SessionError('bad-request', message);
}
