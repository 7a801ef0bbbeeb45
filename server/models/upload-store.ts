// Accepted uploads on disk: one folder per content id (manifest.json, model.json, weights), so an upload loads
// like a built-in model. Folders are written once, whole or not at all, and never overwritten: the same id
// means the same content by construction.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '@/lib/models/types';
import type { AcceptedUpload } from './upload';

const STAGING_PREFIX = '.staging-';

export async function saveUpload(accepted: AcceptedUpload, uploadsDir: string): Promise<ModelManifest> {
  const { manifest } = accepted;
  const target = join(uploadsDir, manifest.id);
  if (await exists(target)) return manifest;
  await mkdir(uploadsDir, { recursive: true });
  const staging = join(uploadsDir, `${STAGING_PREFIX}${manifest.id}-${randomUUID()}`);
  try {
    await mkdir(staging);
    // 'wx': a file that is already there (a name sent twice) is an error, never an overwrite.
    await writeFile(join(staging, 'model.json'), accepted.modelJsonText, { flag: 'wx' });
    for (const file of accepted.weightFiles) {
      await writeFile(join(staging, file.name), file.data, { flag: 'wx' });
    }
    await writeFile(join(staging, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
    await rename(staging, target).catch(async (error: NodeJS.ErrnoException) => {
      // Another request stored the same content first: the folder holds exactly these files.
      if ((error.code === 'ENOTEMPTY' || error.code === 'EEXIST') && (await exists(target))) return;
      throw error;
    });
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return manifest;
}

/** Removes staging folders older than `olderThanMs` (left by a server that stopped mid-upload). */
export async function sweepStaging(uploadsDir: string, olderThanMs = 15 * 60_000): Promise<string[]> {
  const names = await readdir(uploadsDir).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names) {
    if (!name.startsWith(STAGING_PREFIX)) continue;
    const info = await stat(join(uploadsDir, name)).catch(() => undefined);
    if (!info || Date.now() - info.mtimeMs < olderThanMs) continue;
    await rm(join(uploadsDir, name), { recursive: true, force: true });
    swept.push(name);
  }
  return swept;
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
