import { createHash } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelManifest } from '@/lib/models/types';
import type { AcceptedUpload } from './upload';

/**
 * Keeps an accepted upload on disk as a model folder (manifest.json, model.json,
 * weights), so it loads like a built-in model. Its id is always upload-<hash of
 * model.json>: an upload can never shadow a built-in or pack model.
 */
export async function saveUpload(accepted: AcceptedUpload, uploadsDir: string): Promise<ModelManifest> {
  const modelJsonText = JSON.stringify(accepted.modelJson);
  const id = `upload-${createHash('sha256').update(modelJsonText).digest('hex').slice(0, 16)}`;
  const manifest: ModelManifest = { ...accepted.manifest, id, modelUrl: 'model.json' };
  const staging = join(uploadsDir, `.staging-${id}-${process.pid}`);
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  await writeFile(join(staging, 'model.json'), modelJsonText);
  for (const file of accepted.weightFiles) await writeFile(join(staging, file.name), file.data);
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest, null, 2));
  // The folder appears whole or not at all.
  await rm(join(uploadsDir, id), { recursive: true, force: true });
  await rename(staging, join(uploadsDir, id));
  return manifest;
}
