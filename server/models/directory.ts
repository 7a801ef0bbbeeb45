// A model in a directory: manifest.json + model.json + weights, or model.json + weights with the manifest
// taken from the known packs or inferred from the topology.
import { readFile, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { inferManifest } from '@/lib/models/infer';
import type { ModelArtifactsSource } from '@/lib/models/load';
import { parseManifest } from '@/lib/models/manifest';
import { parseModelJson } from '@/lib/models/model-json';
import { findPack, PACKS, type PackEntry, packLabels, packManifest } from '@/lib/models/packs';
import type { ModelManifest, ModelOrigin } from '@/lib/models/types';
import { fileSystemHandler } from './fs-handler';

/** `path` is a directory, its manifest.json or its model.json. */
export async function directorySource(
  path: string,
  options: { packsDir: string; origin?: ModelOrigin },
): Promise<ModelArtifactsSource> {
  const { directory, file } = await splitPath(path);
  const origin = options.origin ?? { kind: 'directory', location: directory };
  const manifestPath = file && basename(file) === 'manifest.json' ? file : join(directory, 'manifest.json');
  if (await isFile(manifestPath)) {
    const where = `${basename(directory)}/manifest.json`;
    const manifest = parseManifest(await readJson(manifestPath), { where });
    if (/^https:/i.test(manifest.modelUrl)) {
      throw new Error(`${where}: modelUrl must be a file next to the manifest for a local model`);
    }
    return { manifest, handler: fileSystemHandler(join(directory, manifest.modelUrl)), origin };
  }
  const modelJsonPath = file && basename(file) !== 'manifest.json' ? file : join(directory, 'model.json');
  if (!(await isFile(modelJsonPath))) {
    throw new Error(`no manifest.json or model.json in ${basename(directory)}`);
  }
  const pack = await packFor(directory, options.packsDir);
  const manifest = pack
    ? await readPackManifest(pack, options.packsDir)
    : inferManifest(parseModelJson(await readFile(modelJsonPath, 'utf8')), {
        id: idFromName(basename(directory)),
        source: origin.location,
        modelUrl: basename(modelJsonPath),
      });
  return { manifest, handler: fileSystemHandler(modelJsonPath), origin };
}

/** A pack by id or alias, read from the packs directory. */
export async function packSource(pack: PackEntry, packsDir: string): Promise<ModelArtifactsSource> {
  const directory = join(packsDir, pack.directory);
  if (!(await isFile(join(directory, pack.manifest.modelUrl)))) {
    throw new Error(
      `model ${pack.manifest.id} is a pack, but ${pack.directory} in the packs folder has no ${pack.manifest.modelUrl} ` +
        '(set CONVLENS_PACKS_DIR to the folder holding the packs)',
    );
  }
  return {
    manifest: await readPackManifest(pack, packsDir),
    handler: fileSystemHandler(join(directory, pack.manifest.modelUrl)),
    origin: { kind: 'pack', location: directory },
  };
}

export async function readPackManifest(pack: PackEntry, packsDir: string): Promise<ModelManifest> {
  const labelsPath = join(packsDir, pack.labelsFile);
  return packManifest(pack, packLabels(pack, await readJson(labelsPath)));
}

/** The pack whose folder this is (same real path), or whose folder name it carries. */
async function packFor(directory: string, packsDir: string): Promise<PackEntry | undefined> {
  const real = await realpath(directory).catch(() => resolve(directory));
  for (const pack of PACKS) {
    const packDir = await realpath(join(packsDir, pack.directory)).catch(() => undefined);
    if (packDir === real) return pack;
  }
  return findPack(basename(directory));
}

async function splitPath(path: string): Promise<{ directory: string; file?: string }> {
  const absolute = resolve(path);
  const info = await stat(absolute).catch(() => undefined);
  if (!info) throw new Error(`${path} does not exist`);
  return info.isDirectory() ? { directory: absolute } : { directory: dirname(absolute), file: absolute };
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

export async function readJson(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(
      `cannot read ${basename(path)}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${basename(path)} is not valid JSON: ${(error as Error).message}`);
  }
}

/** A manifest id from a folder name: keeps letters, digits, ".", "_" and "-". */
export function idFromName(name: string): string {
  const cleaned = name.replace(/[^a-z0-9._-]+/gi, '-').replace(/^[^a-z0-9]+/i, '');
  return (cleaned || 'model').slice(0, 64);
}
