// Real pack models through the project's loader, for tests that run where ../shared/packs exists.
import path from 'node:path';
import { loadModel } from '@/lib/models/load';
import { findPack } from '@/lib/models/packs';
import type { LoadedModel } from '@/lib/models/types';
import type { PixelImage } from '@/lib/viz/image';
import { decodeForModel } from '@/server/images/decode';
import { packSource } from '@/server/models/directory';
import { packs, tf } from './helpers';

export async function loadPackModel(id: string): Promise<LoadedModel> {
  const pack = findPack(id);
  if (!pack) throw new Error(`no pack ${id}`);
  return loadModel(tf, await packSource(pack, packs));
}

export const testImage = (name: string) => path.join(packs, 'images/test-images', name);

export function pomeranian(loaded: LoadedModel): Promise<PixelImage> {
  return decodeForModel(testImage('dog_pomeranian.JPEG'), loaded.manifest);
}
