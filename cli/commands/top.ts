// `top`: the images of a folder that fire a layer's channels most, and where.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { PixelImage } from '@/lib/viz';
import { topActivating } from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { decodeForModel } from '@/server/images/decode';
import { renderTopPng } from '@/server/render/top';
import { CliError, type Command, requireOption } from '../command';
import { loadModelOption, tf } from '../model-options';

function parseChannels(value: string): number[] {
  const channels = value.split(',').map((part) => Number(part.trim()));
  if (channels.length === 0 || !channels.every((c) => Number.isInteger(c) && c >= 0)) {
    throw new CliError(`--channels expects indices like 0,5,9, got "${value}"`, 2);
  }
  return [...new Set(channels)];
}

export const topCommand: Command = {
  name: 'top',
  summary: 'the k images of a folder that fire each channel of a layer most',
  usage: [
    '  --layer <name>            layer to probe',
    '  --images <dir>            folder of JPEG/PNG images',
    '  --channels <list>         channel indices, e.g. 0,5,9 (default: all)',
    '  --k <n>                   images kept per channel (default 9)',
    '  --limit <n>               only the first n images of the folder (by name)',
    '  --batch <n>               images per forward pass (default 16)',
    '  --png <file>              write the mosaic with receptive-field boxes (first 16 channels)',
  ].join('\n'),
  options: {
    layer: { type: 'string' },
    images: { type: 'string' },
    channels: { type: 'string' },
    k: { type: 'string', default: '9' },
    limit: { type: 'string' },
    batch: { type: 'string', default: '16' },
    png: { type: 'string' },
  },
  async run({ options, print }) {
    const layer = requireOption(options, 'layer');
    const dir = requireOption(options, 'images');
    const k = Number(options.k);
    const batchSize = Number(options.batch);
    const limit = options.limit === undefined ? undefined : Number(options.limit);
    for (const [name, value] of [
      ['k', k],
      ['batch', batchSize],
      ['limit', limit ?? 1],
    ] as const) {
      if (!Number.isInteger(value) || value < 1)
        throw new CliError(`--${name} expects a positive integer`, 2);
    }
    const channels = typeof options.channels === 'string' ? parseChannels(options.channels) : undefined;
    let files: string[];
    try {
      files = imageFilesIn(dir).slice(0, limit);
    } catch (error) {
      throw new CliError(
        `cannot read --images ${dir}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    if (files.length === 0) throw new CliError(`no JPEG or PNG images in ${dir}`);
    const loaded = await loadModelOption(options);
    try {
      if (!loaded.layers.some((l) => l.name === layer)) {
        throw new CliError(
          `unknown layer "${layer}" in model ${loaded.manifest.id} (see: info --model ${loaded.manifest.id})`,
        );
      }
      const result = await topActivating(tf, loaded, decodeFilesAhead(files, loaded.manifest), {
        layer,
        channels,
        k,
        batchSize,
        total: files.length,
        onProgress: ({ done, total }) => {
          if (process.stderr.isTTY) process.stderr.write(`\r${done}/${total} images`);
        },
      }).catch((error: Error) => {
        throw error instanceof RangeError ? new CliError(error.message, 2) : error;
      });
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (typeof options.png === 'string') {
        const shown = result.channels.slice(0, 16);
        const ids = new Set(shown.flatMap((c) => c.top.map((t) => t.imageId)));
        const images = new Map<string, PixelImage>();
        for (const id of ids) images.set(id, await decodeForModel(path.join(dir, id), loaded.manifest));
        await writeFile(options.png, await renderTopPng({ modelName: loaded.manifest.name, result, images }));
      }
      const text = [
        `${layer} (${result.height}×${result.width} positions): top ${k} of ${result.imagesSeen} images`,
        ...result.channels.map(
          (c) =>
            `  ch ${String(c.channel).padEnd(4)} ${c.top.map((t) => `${t.imageId} ${t.value.toFixed(2)} @(${t.y},${t.x})`).join(', ')}`,
        ),
        ...(typeof options.png === 'string' ? [`wrote ${options.png}`] : []),
      ].join('\n');
      print(result, text);
    } finally {
      loaded.dispose();
    }
  },
};
