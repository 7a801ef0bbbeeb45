// Things computed once from a loaded model's weights and reused by every request on it (the occlusion
// engine's folded convolutions, say), released with the model.
import type { LoadedModel } from './types';

interface Disposable {
  dispose(): void;
}

interface Entry {
  made: Promise<Disposable>;
  /** Set once made, so that disposing the model releases it at once. */
  value?: Disposable;
  disposed?: boolean;
}

const cache = new WeakMap<LoadedModel, Map<string, Entry>>();

/** The value `create` makes for this model under `key`, made once; a failed make is not kept. */
export function derivedFrom<T extends Disposable>(
  loaded: LoadedModel,
  key: string,
  create: () => Promise<T>,
): Promise<T> {
  let entries = cache.get(loaded);
  if (!entries) {
    entries = new Map();
    cache.set(loaded, entries);
  }
  const hit = entries.get(key);
  if (hit) return hit.made as Promise<T>;
  const entry: Entry = { made: create() };
  entries.set(key, entry);
  entry.made.then(
    (value) => {
      entry.value = value;
      if (entry.disposed) value.dispose();
    },
    () => {
      if (entries.get(key) === entry) entries.delete(key);
    },
  );
  return entry.made as Promise<T>;
}

/** Disposes everything derived from the model (its dispose() calls this); one still being made, once made. */
export function disposeDerived(loaded: LoadedModel): void {
  const entries = cache.get(loaded);
  if (!entries) return;
  cache.delete(loaded);
  for (const entry of entries.values()) {
    entry.disposed = true;
    entry.value?.dispose();
  }
}
