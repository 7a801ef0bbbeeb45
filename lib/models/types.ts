// Contracts of the model core. The shapes clients see (manifest, layer graph, boxes) are part of the
// protocol (lib/protocol/model.ts); implementations live beside this file (manifest.ts, load.ts, graph.ts).
import type { LayersModel } from '@tensorflow/tfjs';
import type { LayerInfo, ModelManifest } from '../protocol/model';

export type {
  Box,
  LayerGeometry,
  LayerInfo,
  LayerKind,
  LayerReceptiveField,
  ModelManifest,
  Preprocessing,
} from '../protocol/model';

/** Where a loaded model came from. */
export type ModelOriginKind = 'builtin' | 'pack' | 'directory' | 'url' | 'upload';

export interface ModelOrigin {
  kind: ModelOriginKind;
  /** Directory, URL or upload name, for messages and the UI. */
  location: string;
}

export interface LoadedModel {
  manifest: ModelManifest;
  model: LayersModel;
  layers: LayerInfo[];
  origin?: ModelOrigin;
  dispose(): void;
}
