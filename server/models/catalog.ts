// The models this server offers: built-ins, accepted uploads and the packs. Each entry is checked from its files
// before it is listed (manifest, model.json's layer graph against the size limits, weight file sizes), without
// tf.js. An entry that fails is listed as unavailable with its reason; it never takes the others down.
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { checkManifestFits, inspectModelJson } from '@/lib/models/inspect';
import { isSafeRelativePath, parseManifest } from '@/lib/models/manifest';
import { checkWeightFiles, parseModelJson, weightPaths } from '@/lib/models/model-json';
import { PACKS, type PackEntry, packLabels, packManifest } from '@/lib/models/packs';
import type { ModelManifest } from '@/lib/models/types';
import { type ModelPaths, modelPaths } from './paths';

export interface ModelListing {
  id: string;
  name: string;
  kind: 'builtin' | 'pack' | 'upload';
  /** False for an entry that cannot be used here (see `problem`). */
  available: boolean;
  /** The folder; never shown to clients. */
  location: string;
  /** Why the entry is unavailable, in words safe to show a client (no server paths). */
  problem?: string;
}

export interface CatalogOptions {
  paths?: Partial<ModelPaths>;
  /** Told about each entry that is skipped, once per entry and reason. */
  log?: { warn(details: object, message: string): void };
}

/** Built-in models, accepted uploads and the packs, each with whether it can be used here. */
export async function listModels(options: CatalogOptions = {}): Promise<ModelListing[]> {
  const paths = modelPaths(options.paths);
  const listings: ModelListing[] = [];
  for (const [kind, dir] of [
    ['builtin', paths.builtinDir],
    ['upload', paths.uploadsDir],
  ] as const) {
    const folders = await readdir(dir).catch(() => [] as string[]);
    for (const folder of folders.sort()) {
      // Dot folders are staging areas of uploads in progress.
      if (folder.startsWith('.')) continue;
      const location = join(dir, folder);
      if (!(await stat(location).catch(() => undefined))?.isDirectory()) continue;
      listings.push(
        listing(kind, folder, location, await checked(location, () => folderManifest(location, folder))),
      );
    }
  }
  for (const pack of PACKS) {
    const location = join(paths.packsDir, pack.directory);
    listings.push(
      listing(
        'pack',
        pack.manifest.id,
        location,
        await checked(location, () => checkPack(pack, paths.packsDir)),
      ),
    );
  }
  for (const entry of listings) {
    if (entry.problem && entry.problem !== PACK_MISSING) reportOnce(options.log, entry);
  }
  return listings;
}

/** A model id that names no usable catalog entry; the message is safe to show a client. */
export class ModelUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelUnavailableError';
  }
}

/** The entry with this id, if it can be used; otherwise a ModelUnavailableError saying why. */
export async function availableModel(id: string, options: CatalogOptions = {}): Promise<ModelListing> {
  const listed = (await listModels(options)).find((model) => model.id === id);
  if (!listed) throw new ModelUnavailableError(`unknown model "${id}"`);
  if (!listed.available) throw new ModelUnavailableError(`model "${id}" cannot be used: ${listed.problem}`);
  return listed;
}

const PACK_MISSING = 'the pack is not installed on this server';

type Checked = { manifest: ModelManifest } | { problem: string };

function listing(
  kind: ModelListing['kind'],
  folder: string,
  location: string,
  result: Checked,
): ModelListing {
  if ('manifest' in result) {
    return { id: result.manifest.id, name: result.manifest.name, kind, available: true, location };
  }
  return { id: folder, name: folder, kind, available: false, location, problem: result.problem };
}

/** A model folder (built-in or upload): its manifest names it, and its id is the folder's name. */
async function folderManifest(location: string, folder: string): Promise<ModelManifest> {
  const where = `${folder}/manifest.json`;
  const manifest = parseManifest(await readJson(join(location, 'manifest.json'), where), { where });
  if (manifest.id !== folder) throw new Error(`${where}: id "${manifest.id}" differs from the folder name`);
  if (!isSafeRelativePath(manifest.modelUrl)) {
    throw new Error(`${where}: modelUrl must be a file in the model's folder`);
  }
  await checkModelFiles(location, manifest, `${folder}/${manifest.modelUrl}`);
  return manifest;
}

async function checkPack(pack: PackEntry, packsDir: string): Promise<ModelManifest> {
  const location = join(packsDir, pack.directory);
  if (!(await stat(join(location, pack.manifest.modelUrl)).catch(() => undefined))) {
    throw new Error(PACK_MISSING);
  }
  const labels = packLabels(pack, await readJson(join(packsDir, pack.labelsFile), pack.labelsFile));
  const manifest = packManifest(pack, labels);
  await checkModelFiles(location, manifest, `${pack.manifest.id}/${pack.manifest.modelUrl}`);
  return manifest;
}

/** model.json's graph within the limits and matching the manifest, and every weight file of the right size. */
async function checkModelFiles(location: string, manifest: ModelManifest, where: string): Promise<void> {
  const modelJson = parseModelJson(await readText(join(location, manifest.modelUrl), where));
  checkManifestFits(manifest, inspectModelJson(modelJson), where);
  const sizes = new Map<string, number>();
  for (const path of weightPaths(modelJson)) {
    if (!isSafeRelativePath(path)) continue;
    const info = await stat(join(location, path)).catch(() => undefined);
    if (info?.isFile()) sizes.set(path, info.size);
  }
  checkWeightFiles(modelJson, sizes, {
    maxModelJsonBytes: Infinity,
    maxWeightBytes: Infinity,
    maxWeightFiles: Infinity,
  });
}

// Checks are remembered per folder until manifest.json or model.json changes (uploads never do).
const checks = new Map<string, { stamp: string; result: Checked }>();

async function checked(location: string, check: () => Promise<ModelManifest>): Promise<Checked> {
  const stamp = await folderStamp(location);
  const known = checks.get(location);
  if (known && known.stamp === stamp) return known.result;
  const result: Checked = await check().then(
    (manifest) => ({ manifest }),
    (error: Error) => ({ problem: error.message }),
  );
  checks.set(location, { stamp, result });
  return result;
}

async function folderStamp(location: string): Promise<string> {
  const parts = await Promise.all(
    ['manifest.json', 'model.json'].map(async (name) => {
      const info = await stat(join(location, name)).catch(() => undefined);
      return info ? `${info.mtimeMs}:${info.size}` : '-';
    }),
  );
  return parts.join('/');
}

const reported = new Set<string>();

function reportOnce(log: CatalogOptions['log'], entry: ModelListing): void {
  const key = `${entry.location}\0${entry.problem}`;
  if (!log || reported.has(key)) return;
  reported.add(key);
  log.warn(
    { model: entry.id, kind: entry.kind, location: entry.location, reason: entry.problem },
    'model skipped',
  );
}

async function readText(path: string, where: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${where} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
  }
}

async function readJson(path: string, where: string): Promise<unknown> {
  const text = await readText(path, where);
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${where} is not valid JSON: ${(error as Error).message}`);
  }
}
