import type { ComputeEnv } from '@/lib/compute/run';
import { loadModel } from '@/lib/models/load';
import type { LoadedModel } from '@/lib/models/types';
import type { Tf } from '@/lib/tf';
import type { PixelImage, SourceImage } from '@/lib/viz';

const PREFETCH = 4;

/**
 * The browser's way to the same inputs the server uses: models over HTTP from
 * the server's catalog, and images as the server decoded them (raw pixels at
 * the model's input size), so both sides feed the network identical bytes.
 */
export function createBrowserComputeEnv(tf: Tf, origin: string): ComputeEnv {
  const models = new Map<string, Promise<LoadedModel>>();

  function model(modelId: string): Promise<LoadedModel> {
    let loaded = models.get(modelId);
    if (!loaded) {
      loaded = loadModel(tf, `${origin}/api/models/${encodeURIComponent(modelId)}/manifest.json`);
      models.set(modelId, loaded);
      loaded.catch(() => models.delete(modelId));
    }
    return loaded;
  }

  async function pixels(imageId: string, loaded: LoadedModel): Promise<PixelImage> {
    const url = `${origin}/api/pixels/${encodeURIComponent(loaded.manifest.id)}/${imageId.split('/').map(encodeURIComponent).join('/')}`;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`could not load image ${imageId}: HTTP ${res.status}`);
    const header = (name: string) => Number(res.headers.get(name));
    return {
      height: header('x-image-height'),
      width: header('x-image-width'),
      channels: header('x-image-channels'),
      data: new Uint8Array(await res.arrayBuffer()),
    };
  }

  return {
    tf,
    loadModel: model,
    loadImage: pixels,
    async openImageSet(setId, loaded) {
      const res = await fetch(`${origin}/api/images`);
      if (!res.ok) throw new Error(`could not list image sets: HTTP ${res.status}`);
      const { sets } = (await res.json()) as { sets: { id: string; images: { id: string }[] }[] };
      const set = sets.find((s) => s.id === setId);
      if (!set) throw new Error(`unknown image set "${setId}"`);
      async function* read(): AsyncGenerator<SourceImage> {
        const ahead: Promise<PixelImage>[] = [];
        for (let i = 0; i < set!.images.length; i++) {
          while (ahead.length < PREFETCH && i + ahead.length < set!.images.length) {
            ahead.push(pixels(set!.images[i + ahead.length].id, loaded));
          }
          yield { id: set!.images[i].id, pixels: await ahead.shift()! };
        }
      }
      return { total: set.images.length, images: read() };
    },
  };
}
