// `atlas`: one pass over a folder of images (or a catalog image set) ranks every channel of every spatial
// layer; --out keeps it in a file, --store in the server's database (where the server answers from it),
// --from reads a kept file, --layer answers "neurons that fire" for one layer from it.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { LoadedModel } from '@/lib/models/types';
import {
  type ActivationAtlas,
  atlasFromBytes,
  atlasToBytes,
  buildAtlas,
  layerReceptiveFieldOf,
  layerReceptiveFields,
  queryAtlas,
} from '@/lib/viz';
import { ImageCatalog } from '@/server/catalog/images';
import { ModelFiles } from '@/server/catalog/model-files';
import { atlasIdentity } from '@/server/compute/atlas-identity';
import { ATLAS_K } from '@/server/compute/atlas-service';
import { AtlasStore } from '@/server/compute/atlas-store';
import { backendLabel, initComputeBackend } from '@/server/compute/backend';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { openDatabase } from '@/server/db/client';
import { databaseConfig } from '@/server/db/config';
import { migrateDatabase } from '@/server/db/migrate';
import { AssetHasher } from '@/server/replay/assets';
import { CliError, type Command, type OptionValues } from '../command';
import { loadModelOption, tf } from '../model-options';

function positive(options: OptionValues, name: string): number | undefined {
  if (options[name] === undefined) return undefined;
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1) throw new CliError(`--${name} expects a positive integer`, 2);
  return value;
}

function parseChannels(value: string): number[] {
  const channels = value.split(',').map((part) => Number(part.trim()));
  if (!channels.every((c) => Number.isInteger(c) && c >= 0)) {
    throw new CliError(`--channels expects indices like 0,5,9, got "${value}"`, 2);
  }
  return [...new Set(channels)];
}

/** The images to rank: a folder's files by name, or a catalog set's images with their catalog ids. */
async function imagesToRank(
  options: OptionValues,
  limit: number | undefined,
): Promise<{ files: string[]; idOf?: (file: string) => string; catalog?: ImageCatalog }> {
  if (typeof options.set === 'string') {
    const catalog = await ImageCatalog.discover();
    let set: ReturnType<ImageCatalog['wholeSet']>;
    try {
      set = catalog.wholeSet(options.set);
    } catch (error) {
      throw new CliError(`--set: ${(error as Error).message}`, 2);
    }
    const ids = new Map(set.images.slice(0, limit).map((entry) => [join(set.dir, entry.file), entry.id]));
    if (ids.size === 0) throw new CliError(`the image set ${options.set} is empty`);
    return { files: [...ids.keys()], idOf: (file) => ids.get(file)!, catalog };
  }
  if (typeof options.images !== 'string') throw new CliError('--images (or --set, or --from) is required', 2);
  let files: string[];
  try {
    files = imageFilesIn(options.images).slice(0, limit);
  } catch (error) {
    throw new CliError(
      `cannot read --images ${options.images}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (files.length === 0) throw new CliError(`no JPEG or PNG images in ${options.images}`);
  return { files };
}

/** Stores the atlas where the server looks for it: same identity (model content, set, preprocessing, k). */
async function storeAtlas(
  atlas: ActivationAtlas,
  loaded: LoadedModel,
  options: OptionValues,
  catalog: ImageCatalog,
  ms: number,
): Promise<string> {
  const modelId = String(options.model);
  const models = new ModelFiles();
  if (!(await models.has(modelId))) {
    throw new CliError(`--store needs a catalog model id (built-in, pack or upload), got "${modelId}"`, 2);
  }
  const identity = await atlasIdentity(
    { models, images: catalog, hasher: new AssetHasher(models, catalog) },
    modelId,
    String(options.set),
    atlas.k,
  );
  const config = databaseConfig();
  await migrateDatabase(config);
  const db = await openDatabase(config);
  try {
    const fields = layerReceptiveFields(loaded.layers);
    const { height, width } = loaded.manifest.inputSize;
    await new AtlasStore(db).put(identity, {
      atlas,
      receptiveFields: Object.fromEntries(atlas.layers.map((l) => [l.name, fields.get(l.name)!])),
      inputSize: { height, width },
      backend: `cli ${backendLabel(await initComputeBackend())}`,
      ms,
    });
  } finally {
    await db.$disconnect();
  }
  return identity.key;
}

export const atlasCommand: Command = {
  name: 'atlas',
  summary: 'the top-k images of every channel of every spatial layer, from one pass over a folder',
  usage: [
    '  --images <dir>            folder of JPEG/PNG images (or --set, or --from an atlas file)',
    '  --set <id>                a catalog image set instead: mnist, test-images, imagenet-sample, tiny-imagenet',
    `  --store                   with --set and a catalog --model: store it in DATABASE_URL's database, where`,
    `                            the server answers "neurons that fire" from it (k ${ATLAS_K}, the whole set)`,
    '  --k <n>                   images kept per channel (default 9)',
    '  --limit <n>               only the first n images of the folder (by name)',
    '  --batch <n>               images per forward pass (default 16)',
    '  --out <file>              write the atlas (binary) to a file',
    '  --from <file>             read an atlas written with --out instead of building one',
    "  --layer <name>            print this layer's top images from the atlas",
    '  --channels <list>         with --layer: channel indices, e.g. 0,5,9 (default: the first 8)',
  ].join('\n'),
  options: {
    images: { type: 'string' },
    set: { type: 'string' },
    store: { type: 'boolean', default: false },
    k: { type: 'string', default: '9' },
    limit: { type: 'string' },
    batch: { type: 'string', default: '16' },
    out: { type: 'string' },
    from: { type: 'string' },
    layer: { type: 'string' },
    channels: { type: 'string' },
  },
  async run({ options, print }) {
    const k = positive(options, 'k')!;
    const batchSize = positive(options, 'batch')!;
    const limit = positive(options, 'limit');
    const loaded = await loadModelOption(options);
    try {
      let atlas: ActivationAtlas;
      const lines: string[] = [];
      if (typeof options.from === 'string') {
        try {
          atlas = atlasFromBytes(new Uint8Array(await readFile(options.from)));
        } catch (error) {
          throw new CliError(`cannot read --from ${options.from}: ${(error as Error).message}`);
        }
        lines.push(
          `read ${options.from}: ${atlas.layers.length} layers, ${atlas.imagesSeen} images, k ${atlas.k}`,
        );
      } else {
        if (options.store && (typeof options.set !== 'string' || limit !== undefined || k !== ATLAS_K)) {
          throw new CliError(
            `--store takes a whole catalog set (--set, no --limit) at the server's k (${ATLAS_K})`,
            2,
          );
        }
        const { files, idOf, catalog } = await imagesToRank(options, limit);
        const started = performance.now();
        atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest, { idOf }), {
          k,
          batchSize,
          total: files.length,
          onProgress: ({ done, total }) => {
            if (process.stderr.isTTY) process.stderr.write(`\ratlas: ${done}/${total} images`);
          },
        });
        if (process.stderr.isTTY) process.stderr.write('\n');
        const seconds = (performance.now() - started) / 1000;
        const channels = atlas.layers.reduce((sum, l) => sum + l.channels, 0);
        const bytes = atlasToBytes(atlas);
        lines.push(
          `${atlas.layers.length} layers, ${channels} channels, top ${k} of ${atlas.imagesSeen} images in ${seconds.toFixed(1)} s (${(atlas.imagesSeen / seconds).toFixed(1)} images/s)`,
          `atlas: ${(bytes.length / 1024).toFixed(0)} KiB, ${atlas.imageIds.length} distinct images kept`,
        );
        if (typeof options.out === 'string') {
          await writeFile(options.out, bytes);
          lines.push(`wrote ${options.out}`);
        }
        if (options.store && catalog) {
          const key = await storeAtlas(atlas, loaded, options, catalog, seconds * 1000);
          lines.push(`stored in the database as ${key}`);
        }
      }
      let result: unknown = {
        k: atlas.k,
        imagesSeen: atlas.imagesSeen,
        layers: atlas.layers.map((l) => ({
          name: l.name,
          height: l.height,
          width: l.width,
          channels: l.channels,
        })),
      };
      if (typeof options.layer === 'string') {
        const layer = options.layer;
        if (!atlas.layers.some((l) => l.name === layer)) {
          throw new CliError(`the atlas has no layer "${layer}" (layers with a spatial output only)`);
        }
        const all = atlas.layers.find((l) => l.name === layer)!.channels;
        const channels =
          typeof options.channels === 'string'
            ? parseChannels(options.channels)
            : Array.from({ length: Math.min(8, all) }, (_, i) => i);
        const started = performance.now();
        const top = (() => {
          try {
            return queryAtlas(atlas, { layer, channels }, layerReceptiveFieldOf(loaded, layer));
          } catch (error) {
            throw new CliError((error as Error).message, 2);
          }
        })();
        const ms = performance.now() - started;
        result = top;
        lines.push(
          `${layer} (${top.height}×${top.width} positions): top ${top.k} of ${top.imagesSeen} images, answered in ${ms.toFixed(1)} ms`,
          ...top.channels.map(
            (c) =>
              `  ch ${String(c.channel).padEnd(4)} ${c.top.map((t) => `${t.imageId} ${t.value.toFixed(2)} @(${t.y},${t.x})`).join(', ')}`,
          ),
        );
      }
      print(result, lines.join('\n'));
    } finally {
      loaded.dispose();
    }
  },
};
