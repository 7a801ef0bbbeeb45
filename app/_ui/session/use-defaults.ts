'use client';

import { useEffect, useRef } from 'react';
import type { SessionState } from '@/lib/session/state';
import type { ComputeClient } from '../compute/compute-client';
import { useComputed } from '../compute/use-computed';
import { type Catalog, defaultImageFor } from './catalog';
import type { Dispatch } from './dispatch';

/**
 * The instructor's console fills what a fresh session or a new model leaves
 * empty (an image, a layer, a neuron), as ordinary logged actions, so every
 * student and every replay sees the same choice.
 */
export function useDefaults(
  state: SessionState | null,
  catalog: Catalog | null,
  client: ComputeClient | null,
  dispatch: Dispatch | undefined,
): void {
  const info = useComputed(state && client ? { kind: 'model-info', modelId: state.modelId } : null);
  const asked = useRef(new Set<string>());
  const once = (what: string, send: () => void) => {
    if (asked.current.has(what)) return;
    asked.current.add(what);
    send();
  };

  useEffect(() => {
    if (!state || !dispatch) return;
    if (state.imageId === null && catalog) {
      const imageId = defaultImageFor(state.modelId, catalog.sets);
      if (imageId)
        once(`image:${state.modelId}:${state.seq}`, () => dispatch({ type: 'image.set', imageId }));
    }
    const layers = info?.result?.layers;
    if (state.layer === null && layers) {
      const first = layers.find((l) => l.kind === 'conv2d' || l.kind === 'depthwise-conv2d');
      if (first) {
        const [h, w] = first.outputShape;
        const neuron = { layer: first.name, channel: 0, y: Math.floor(h / 2), x: Math.floor(w / 2) };
        once(`layer:${state.modelId}:${state.seq}`, () => dispatch({ type: 'neuron.set', neuron }));
      }
    }
  });
}
