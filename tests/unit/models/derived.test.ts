import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { derivedFrom } from '@/lib/models/derived';
import { loadedModel } from '@/lib/models/load';
import type { LoadedModel } from '@/lib/models/types';

function tinyModel(): LoadedModel {
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 2, inputShape: [3] })] });
  return loadedModel({ manifest: {} as LoadedModel['manifest'], model, layers: [] });
}

describe('values derived from a loaded model', () => {
  it('are made once per model and key, and released with the model', async () => {
    const loaded = tinyModel();
    let made = 0;
    let disposed = 0;
    const create = async () => {
      made++;
      return { dispose: () => disposed++ };
    };
    const [a, b] = await Promise.all([derivedFrom(loaded, 'k', create), derivedFrom(loaded, 'k', create)]);
    expect(a).toBe(b);
    await derivedFrom(loaded, 'other', create);
    expect(made).toBe(2);
    loaded.dispose();
    expect(disposed).toBe(2);
  });

  it('forget a failed make, so the next request tries again', async () => {
    const loaded = tinyModel();
    await expect(derivedFrom(loaded, 'k', () => Promise.reject(new Error('no')))).rejects.toThrow('no');
    const value = await derivedFrom(loaded, 'k', async () => ({ dispose: () => {} }));
    expect(value).toBeDefined();
    loaded.dispose();
  });

  it('release a value still being made once it is made', async () => {
    const loaded = tinyModel();
    let disposed = false;
    let finish!: () => void;
    const pending = derivedFrom(
      loaded,
      'k',
      () =>
        new Promise<{ dispose(): void }>((resolve) => {
          finish = () => resolve({ dispose: () => (disposed = true) });
        }),
    );
    loaded.dispose();
    finish();
    await pending;
    await Promise.resolve();
    expect(disposed).toBe(true);
  });
});
