'use client';

import { useEffect, useRef } from 'react';
import type { SessionState } from '@/lib/session/state';
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
  dispatch: Dispatch | undefined,
): void {
  const info = useComputed(state ? { kind: 'model-info', modelId: state.modelId } : null);
  const asked = useRef(new Set<string>());
  const once = (what: string, send: () => void) => {
    if (asked.current.has(what)) return;
    asked.current.add(what);
    send();
  };

  useEffect(() => {
    if (!state || !dispatch) return;
    // A request stays "asked" until the session shows its answer, so it is sent once.
    if (state.imageId !== null) asked.current.delete('image');
    if (state.layer !== null) asked.current.delete('layer');
    if (state.imageId === null && catalog) {
      const imageId = defaultImageFor(state.modelId, catalog.sets);
      if (imageId) once('image', () => dispatch({ type: 'image.set', imageId }));
    }
    const layers = info?.result?.layers;
    if (state.layer === null && layers) {
      const first = layers.find((l) => l.kind === 'conv2d' || l.kind === 'depthwise-conv2d');
      if (first) {
        const [h, w] = first.outputShape;
        const neuron = { layer: first.name, channel: 0, y: Math.floor(h / 2), x: Math.floor(w / 2) };
        once('layer', () => dispatch({ type: 'neuron.set', neuron }));
      }
    }
  });
}

/** Renders nothing: it lives inside the compute provider so it can read the model's layers. */
export function InstructorDefaults(props: {
  state: SessionState;
  catalog: Catalog | null;
  dispatch: Dispatch;
}) {
  useDefaults(props.state, props.catalog, props.dispatch);
  return null;
}
