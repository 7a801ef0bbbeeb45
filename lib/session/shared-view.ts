// What the shared view needs computed, as a pure function of the session state: the
// panels ask for exactly these requests, the server serves them first and cancels what
// the shared view stopped needing, and lesson preparation computes them ahead.
import type { ComputeRequest } from '../protocol/compute';
import type { LayerInfo } from '../protocol/model';
import { clampProbe, fitOcclusion } from '../protocol/occlusion-grid';
import type { ModelInfoResult } from '../protocol/results';
import type { SessionState } from './state';

/** Images shown per channel in "neurons that fire". */
export const TOP_ACTIVATING_K = 8;
/** Channels shown when the instructor has not chosen any. */
export const DEFAULT_TOP_CHANNELS = 6;
const FILTER_KINDS = new Set(['conv2d', 'depthwise-conv2d']);

type Request<K extends ComputeRequest['kind']> = Extract<ComputeRequest, { kind: K }>;

export interface SharedViewContext {
  /** The session model's layer graph; null until known (then only model-independent requests). */
  info: ModelInfoResult | null;
  /** Ids of the image sets with images on this server. */
  imageSets: string[];
}

/** The image sets that suit a model: its own for the small models, ImageNet photos for ImageNet models. */
export function imageSetsFor(modelId: string, available: string[]): { single: string[]; many: string[] } {
  const pick = (ids: string[]) => ids.filter((id) => available.includes(id));
  if (modelId === 'mnist-cnn') return { single: pick(['mnist']), many: pick(['mnist']) };
  if (modelId === 'tinyvgg') return { single: pick(['tiny-imagenet']), many: pick(['tiny-imagenet']) };
  return {
    single: pick(['test-images', 'imagenet-sample']),
    many: pick(['imagenet-sample', 'test-images']),
  };
}

export function occlusionRequests(
  state: SessionState,
  info: ModelInfoResult,
): { map: Request<'occlusion'> | null; probe: Request<'probe'> | null } {
  const { modelId, imageId, occlusion, probe } = state;
  if (!imageId) return { map: null, probe: null };
  const input = info.manifest.inputSize;
  const { patch, stride } = fitOcclusion(occlusion, input);
  const base = { modelId, imageId, fill: occlusion.fill, classIndex: occlusion.classIndex, patch };
  return {
    map: { kind: 'occlusion', ...base, stride },
    probe: probe ? { kind: 'probe', ...base, ...clampProbe(probe, patch, input) } : null,
  };
}

/** The layer and channels "neurons that fire" shows. */
export function topActivatingSelection(
  state: SessionState,
  info: ModelInfoResult,
): { spatial: LayerInfo[]; layer: LayerInfo | undefined; channels: number[] } {
  const spatial = info.layers.filter((l) => l.outputShape.length === 3 && l.kind !== 'input');
  const layer = spatial.find((l) => l.name === state.layer) ?? spatial[0];
  const channelCount = layer?.outputShape[2] ?? 0;
  const chosen =
    state.channels.length > 0
      ? state.channels
      : Array.from({ length: Math.min(DEFAULT_TOP_CHANNELS, channelCount) }, (_, i) => i);
  return { spatial, layer, channels: chosen.filter((c) => c < channelCount) };
}

export function topActivatingRequest(
  state: SessionState,
  info: ModelInfoResult,
  imageSetId: string | undefined,
): Request<'top-activating'> | null {
  const { layer, channels } = topActivatingSelection(state, info);
  if (!layer || !imageSetId || channels.length === 0) return null;
  return {
    kind: 'top-activating',
    modelId: state.modelId,
    imageSetId,
    layer: layer.name,
    channels,
    k: TOP_ACTIVATING_K,
  };
}

/**
 * The feature visualisation the instructor started, and the photos that fire its channel most (shown beside
 * it); none before it is started, and no photos for a class.
 */
export function featureVisRequests(
  state: SessionState,
  imageSetId: string | undefined,
): { vis: Request<'feature-vis'> | null; top: Request<'top-activating'> | null } {
  const params = state.featureVis;
  if (!params) return { vis: null, top: null };
  const vis: Request<'feature-vis'> = { kind: 'feature-vis', modelId: state.modelId, ...params };
  const { objective } = params;
  if (objective.kind === 'class' || !imageSetId) return { vis, top: null };
  return {
    vis,
    top: {
      kind: 'top-activating',
      modelId: state.modelId,
      imageSetId,
      layer: objective.layer,
      channels: [objective.channel],
      k: TOP_ACTIVATING_K,
    },
  };
}

/** The layers with feature maps (spatial outputs), and the one the activations view shows. */
export function activationsSelection(
  state: SessionState,
  info: ModelInfoResult,
): { spatial: LayerInfo[]; layer: LayerInfo | undefined } {
  const spatial = info.layers.filter((l) => l.outputShape.length === 3 && l.kind !== 'input');
  return { spatial, layer: spatial.find((l) => l.name === state.layer) ?? spatial[0] };
}

export function activationsRequest(
  state: SessionState,
  info: ModelInfoResult,
): Request<'activations'> | null {
  const { layer } = activationsSelection(state, info);
  if (!state.imageId || !layer) return null;
  return { kind: 'activations', modelId: state.modelId, imageId: state.imageId, layer: layer.name };
}

/** The convolution layers whose filters can be shown, and the one the filters view shows. */
export function filtersSelection(
  state: SessionState,
  info: ModelInfoResult,
): { convLayers: LayerInfo[]; layer: string | null } {
  const convLayers = info.layers.filter((l) => FILTER_KINDS.has(l.kind));
  const layer = convLayers.find((l) => l.name === state.layer)?.name ?? convLayers[0]?.name ?? null;
  return { convLayers, layer };
}

/** Every result the shared view shows in this state, the model's layer graph first. */
export function sharedViewRequests(state: SessionState, context: SharedViewContext): ComputeRequest[] {
  const { modelId, imageId } = state;
  if (!modelId) return [];
  const requests: ComputeRequest[] = [{ kind: 'model-info', modelId }];
  if (imageId) requests.push({ kind: 'predict', modelId, imageId });
  const { info } = context;
  if (!info) return requests;
  switch (state.view) {
    case 'occlusion': {
      const { map, probe } = occlusionRequests(state, info);
      if (map) requests.push(map);
      if (probe) requests.push(probe);
      break;
    }
    case 'top-activating': {
      const request = topActivatingRequest(state, info, imageSetsFor(modelId, context.imageSets).many[0]);
      if (request) requests.push(request);
      break;
    }
    case 'filters': {
      const { layer } = filtersSelection(state, info);
      if (layer) requests.push({ kind: 'filters', modelId, layer });
      break;
    }
    case 'feature-vis': {
      const { vis, top } = featureVisRequests(state, imageSetsFor(modelId, context.imageSets).many[0]);
      if (vis) requests.push(vis);
      if (top) requests.push(top);
      break;
    }
    case 'activations': {
      const request = activationsRequest(state, info);
      if (request) requests.push(request);
      break;
    }
    case 'receptive-field':
      break;
  }
  return requests;
}
