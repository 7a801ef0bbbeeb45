// A forward pass that hands every spatial layer's output to a visitor, then frees it once no later layer
// reads it: one pass serves all layers while only the live part of the network is held in memory.
import type { LoadedModel } from '@/lib/models/types';
import type { Tensor, Tf } from '@/lib/tf';

type Layer = LoadedModel['model']['layers'][number];

/** How to run one layer: its own call, except relu6 as a clamp (the same values; min(6, relu) is slow on wasm). */
function layerRun(tf: Tf, layer: Layer): (xs: Tensor[]) => Tensor {
  const config = layer.getConfig() as Record<string, unknown>;
  if (layer.getClassName() === 'Activation' && config.activation === 'relu6') return ([x]) => tf.relu6(x);
  return (xs) => layer.apply(xs.length === 1 ? xs[0] : xs) as Tensor;
}

export type LayerVisitor = (name: string, output: Tensor) => void | Promise<void>;

/** Walks batches through the model (see walk); built once per model. */
export interface LayerWalker {
  /**
   * Runs `input` (a batch, already scaled) layer by layer in topological order and calls `visit` with
   * each layer in `layers` as soon as its output exists (the visitor must not keep it).
   */
  walk(input: Tensor, layers: ReadonlySet<string>, visit: LayerVisitor): Promise<void>;
}

export function layerWalker(tf: Tf, loaded: LoadedModel): LayerWalker {
  const runs = new Map(
    loaded.layers
      .filter((info) => info.kind !== 'input')
      .map((info) => [info.name, layerRun(tf, loaded.model.getLayer(info.name))]),
  );
  const readerCounts = new Map<string, number>();
  for (const info of loaded.layers) {
    for (const name of info.inbound) readerCounts.set(name, (readerCounts.get(name) ?? 0) + 1);
  }
  return {
    async walk(input, layers, visit) {
      const readers = new Map(readerCounts);
      const values = new Map<string, Tensor>();
      const release = (name: string) => {
        const dead = values.get(name);
        if (!dead) return;
        values.delete(name);
        // Pass-through layers share their input's tensor.
        for (const v of values.values()) if (v === dead) return;
        if (dead !== input) dead.dispose();
      };
      try {
        for (const info of loaded.layers) {
          const run = runs.get(info.name);
          const output = run ? tf.tidy(() => run(info.inbound.map((n) => values.get(n)!))) : input;
          values.set(info.name, output);
          if (layers.has(info.name)) await visit(info.name, output);
          for (const name of info.inbound) {
            const left = readers.get(name)! - 1;
            readers.set(name, left);
            if (left === 0) release(name);
          }
          if (!readers.get(info.name)) release(info.name);
        }
      } finally {
        for (const name of [...values.keys()]) release(name);
      }
    },
  };
}
