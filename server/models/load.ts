// The server's entry to the model core: a model reference (built-in id, pack id, directory, https URL or
// an accepted upload) → manifest + file-system handler → LoadedModel.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type LoadModelOptions, loadModel, type ModelArtifactsSource } from '@/lib/models/load';
import { findPack } from '@/lib/models/packs';
import type { LoadedModel } from '@/lib/models/types';
import type { Tf } from '@/lib/tf';
import { listModels } from './catalog';
import { directorySource, packSource } from './directory';
import { downloadModel } from './download';
import { type ModelPaths, modelPaths } from './paths';

export type ModelReference = string | ModelArtifactsSource;

export interface ResolveOptions {
  paths?: Partial<ModelPaths>;
  fetchFunc?: typeof fetch;
}

export async function loadServerModel(
  tf: Tf,
  reference: ModelReference,
  options: ResolveOptions & LoadModelOptions = {},
): Promise<LoadedModel> {
  const source = typeof reference === 'string' ? await resolveModelSource(reference, options) : reference;
  return loadModel(tf, source, options);
}

/**
 * In order: an https URL; a built-in model id (public/models/<id>); a pack id or alias; a path to a
 * directory, manifest.json or model.json.
 */
export async function resolveModelSource(
  reference: string,
  options: ResolveOptions = {},
): Promise<ModelArtifactsSource> {
  const paths = modelPaths(options.paths);
  if (/^https?:\/\//i.test(reference)) {
    const directory = await downloadModel(reference, {
      cacheDir: paths.cacheDir,
      fetchFunc: options.fetchFunc,
    });
    return directorySource(directory, {
      packsDir: paths.packsDir,
      origin: { kind: 'url', location: reference },
    });
  }
  const builtin = join(paths.builtinDir, reference);
  if (/^[a-z0-9][a-z0-9._-]*$/i.test(reference) && (await isFile(join(builtin, 'manifest.json')))) {
    return directorySource(builtin, {
      packsDir: paths.packsDir,
      origin: { kind: 'builtin', location: builtin },
    });
  }
  const uploaded = join(paths.uploadsDir, reference);
  if (/^upload-[a-f0-9]+$/.test(reference) && (await isFile(join(uploaded, 'manifest.json')))) {
    return directorySource(uploaded, {
      packsDir: paths.packsDir,
      origin: { kind: 'upload', location: reference },
    });
  }
  const pack = findPack(reference);
  if (pack) return packSource(pack, paths.packsDir);
  if (await stat(reference).catch(() => undefined))
    return directorySource(reference, { packsDir: paths.packsDir });
  const known = (await listModels(options)).map((model) => model.id);
  throw new Error(
    `unknown model "${reference}": not a built-in or pack id (${known.join(', ')}), a directory, or an https URL`,
  );
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
