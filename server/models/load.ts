// The server's entry to the model core: a model reference (built-in id, pack id, directory, https URL or
// an accepted upload) → manifest + file-system handler → LoadedModel.
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type LoadModelOptions, loadModel, type ModelArtifactsSource } from '@/lib/models/load';
import { parseManifest } from '@/lib/models/manifest';
import { findPack, PACKS } from '@/lib/models/packs';
import type { LoadedModel } from '@/lib/models/types';
import type { Tf } from '@/lib/tf';
import { directorySource, packSource, readJson } from './directory';
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

export interface ModelListing {
  id: string;
  name: string;
  kind: 'builtin' | 'pack' | 'upload';
  /** False for a pack whose folder is missing on this machine. */
  available: boolean;
  location: string;
}

/** Built-in models, accepted uploads and the packs, with whether each can be loaded here. */
export async function listModels(options: ResolveOptions = {}): Promise<ModelListing[]> {
  const paths = modelPaths(options.paths);
  const listings: ModelListing[] = [];
  for (const [kind, dir] of [
    ['builtin', paths.builtinDir],
    ['upload', paths.uploadsDir],
  ] as const) {
    const folders = await readdir(dir).catch(() => [] as string[]);
    for (const folder of folders.sort()) {
      const manifestPath = join(dir, folder, 'manifest.json');
      if (!(await isFile(manifestPath))) continue;
      const manifest = parseManifest(await readJson(manifestPath), { where: manifestPath });
      listings.push({
        id: manifest.id,
        name: manifest.name,
        kind,
        available: true,
        location: join(dir, folder),
      });
    }
  }
  for (const pack of PACKS) {
    const location = join(paths.packsDir, pack.directory);
    listings.push({
      id: pack.manifest.id,
      name: pack.manifest.name,
      kind: 'pack',
      available: await isFile(join(location, pack.manifest.modelUrl)),
      location,
    });
  }
  return listings;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}
