// Real pack models through the project's loader, for tests that run where ../shared/packs exists.
import path from 'node:path';
import type { LoadedModel } from '@/lib/models/types';
import type { PixelImage } from '@/lib/viz/image';
import { decodeForModel } from '@/server/images/decode';
import { loadServerModel } from '@/server/models/load';
import { packs, tf } from './helpers';

export function loadPackModel(id: string): Promise<LoadedModel> {
  return loadServerModel(tf, id, { paths: { packsDir: packs } });
}

export const testImage = (name: string) => path.join(packs, 'images/test-images', name);

export function pomeranian(loaded: LoadedModel): Promise<PixelImage> {
  return decodeForModel(testImage('dog_pomeranian.JPEG'), loaded.manifest);
}
