// Test helpers: a tfjs instance per backend and tiny hand-built models.
import { existsSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterEach, beforeEach, expect } from 'vitest';
import { layerGraph } from '@/lib/models/graph';
import { loadedModel } from '@/lib/models/load';
import type { LoadedModel, ModelManifest } from '@/lib/models/types';

export { tf };

export const packs = path.resolve(import.meta.dirname, '../../../../shared/packs');
export const hasPacks = existsSync(packs);

export async function useBackend(name: 'cpu' | 'wasm'): Promise<void> {
  await tf.setBackend(name);
  await tf.ready();
}

export function manifestFor(
  id: string,
  inputSize: ModelManifest['inputSize'],
  overrides: Partial<ModelManifest> = {},
): ModelManifest {
  return {
    id,
    name: id,
    source: 'test',
    inputSize,
    preprocessing: { resize: 'stretch', mean: [0, 0, 0], scale: 1, offset: 0, channels: inputSize.channels },
    labels: [],
    output: 'softmax',
    modelUrl: 'model.json',
    ...overrides,
  };
}

export function wrap(model: tf.LayersModel, manifest: ModelManifest): LoadedModel {
  return loadedModel({ manifest, model, layers: layerGraph(model) });
}

/** Every test of the calling suite must leave as many tensors as it found: a leak fails it. */
export function failOnTensorLeaks(): void {
  let tensorsBefore = 0;
  beforeEach(() => {
    tensorsBefore = tf.memory().numTensors;
  });
  afterEach(() => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });
}
