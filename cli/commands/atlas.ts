// `atlas`: one pass over a folder of images ranks every channel of every spatial layer; --out keeps it,
// --from reads a kept one, --layer answers "neurons that fire" for one layer from it.
import { readFile, writeFile } from 'node:fs/promises';
import {
  type ActivationAtlas,
  atlasFromBytes,
  atlasToBytes,
  buildAtlas,
  layerReceptiveFieldOf,
  queryAtlas,
} from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
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

export const atlasCommand: Command = {
  name: 'atlas',
  summary: 'the top-k images of every channel of every spatial layer, from one pass over a folder',
  usage: [
    '  --images <dir>            folder of JPEG/PNG images (or --from an atlas file)',
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
        if (typeof options.images !== 'string') throw new CliError('--images (or --from) is required', 2);
        let files: string[];
        try {
          files = imageFilesIn(options.images).slice(0, limit);
        } catch (error) {
          throw new CliError(
            `cannot read --images ${options.images}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
          );
        }
        if (files.length === 0) throw new CliError(`no JPEG or PNG images in ${options.images}`);
        const started = performance.now();
        atlas = await buildAtlas(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
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
