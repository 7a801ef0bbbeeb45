// `dream`: an image optimised to excite a channel, a neuron or a class, and the activation it reached.
import { writeFile } from 'node:fs/promises';
import type { PixelImage } from '@/lib/viz';
import {
  bestImagesPerChannel,
  channelMeans,
  type FeatureVisObjective,
  type FeatureVisResult,
  featureVisualization,
  selectivity,
} from '@/lib/viz';
import { decodeFilesAhead, imageFilesIn } from '@/server/compute/image-files';
import { compose, panel, toRgba } from '@/server/render/canvas';
import { CliError, type Command, type OptionValues } from '../command';
import { loadModelOption, tf } from '../model-options';

function integer(options: OptionValues, name: string): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) throw new CliError(`--${name} expects an integer, got "${value}"`, 2);
  return parsed;
}

function number(options: OptionValues, name: string): number | undefined {
  const value = options[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) throw new CliError(`--${name} expects a number, got "${value}"`, 2);
  return parsed;
}

function objectiveOf(options: OptionValues): FeatureVisObjective {
  const classIndex = integer(options, 'class');
  if (classIndex !== undefined) return { kind: 'class', classIndex };
  const layer = options.layer;
  const channel = integer(options, 'channel');
  if (typeof layer !== 'string' || channel === undefined) {
    throw new CliError('give --layer and --channel (optionally --neuron y,x), or --class', 2);
  }
  if (typeof options.neuron !== 'string') return { kind: 'channel', layer, channel };
  const [y, x] = options.neuron.split(',').map((part) => Number(part.trim()));
  if (!Number.isInteger(y) || !Number.isInteger(x)) {
    throw new CliError(`--neuron expects y,x, got "${options.neuron}"`, 2);
  }
  return { kind: 'neuron', layer, channel, y, x };
}

/** The images side by side, each scaled up by a whole factor to at least 224 pixels high. */
async function strip(images: readonly PixelImage[]): Promise<Buffer> {
  const { height, width } = images[0];
  const factor = Math.max(1, Math.ceil(224 / height));
  const gap = 8;
  const [h, w] = [height * factor, width * factor];
  const panels = await Promise.all(
    images.map(async (image, i) => ({
      png: await panel(toRgba(image), height, width, { height: h, width: w, kernel: 'nearest' }),
      left: i * (w + gap),
      top: 0,
    })),
  );
  return compose(images.length * (w + gap) - gap, h, panels, '');
}

function objectiveName(objective: FeatureVisObjective): string {
  switch (objective.kind) {
    case 'class':
      return `class ${objective.classIndex} logit`;
    case 'neuron':
      return `${objective.layer} channel ${objective.channel} at (${objective.y}, ${objective.x})`;
    case 'channel':
      return `${objective.layer} channel ${objective.channel} (mean over positions)`;
  }
}

export const dreamCommand: Command = {
  name: 'dream',
  summary: 'feature visualisation: optimise an image to excite a channel, a neuron or a class',
  usage: [
    '  --layer <name> --channel <c>  the channel to excite (its mean over positions)',
    '  --neuron <y>,<x>          with --layer/--channel: only the neuron at (y, x)',
    '  --class <i>               instead: the logit of class i',
    '  --steps <n>               gradient steps (default 256)',
    '  --lr <x>                  learning rate (default 0.05)',
    '  --size <px>               side of the optimised image, up to the input size (default: input size)',
    '  --seed <n>                same seed and settings, same image on the same backend (default 0)',
    '  --images <n>              images optimised together (default 1)',
    '  --diversity <w>           penalty weight for alike images (default 0; try 0.5 with --images 4)',
    '  --png <file>              write the image(s)',
    '  --compare <dir>           also run the folder’s photos and report the best one for the channel',
    '  --limit <n>               with --compare: only the first n photos',
  ].join('\n'),
  options: {
    layer: { type: 'string' },
    channel: { type: 'string' },
    neuron: { type: 'string' },
    class: { type: 'string' },
    steps: { type: 'string' },
    lr: { type: 'string' },
    size: { type: 'string' },
    seed: { type: 'string' },
    images: { type: 'string' },
    diversity: { type: 'string' },
    png: { type: 'string' },
    compare: { type: 'string' },
    limit: { type: 'string' },
  },
  async run({ options, print }) {
    const objective = objectiveOf(options);
    const settings = {
      objective,
      steps: integer(options, 'steps'),
      learningRate: number(options, 'lr'),
      size: integer(options, 'size'),
      seed: integer(options, 'seed'),
      images: integer(options, 'images'),
      diversity: number(options, 'diversity'),
    };
    const limit = integer(options, 'limit');
    const loaded = await loadModelOption(options);
    try {
      const started = performance.now();
      const result: FeatureVisResult = await featureVisualization(tf, loaded, settings, {
        onProgress: ({ done, total }) => {
          if (process.stderr.isTTY) process.stderr.write(`\rstep ${done}/${total}`);
        },
      }).catch((error: Error) => {
        throw error instanceof RangeError ? new CliError(error.message, 2) : error;
      });
      const seconds = (performance.now() - started) / 1000;
      if (process.stderr.isTTY) process.stderr.write('\n');
      if (typeof options.png === 'string') await writeFile(options.png, await strip(result.images));
      const lines = [
        `${objectiveName(objective)}: ${result.values.map((v) => v.toFixed(3)).join(', ')} after ${result.steps} steps (${seconds.toFixed(1)} s, ${tf.getBackend()})`,
      ];
      const json: Record<string, unknown> = {
        objective,
        layer: result.layer,
        steps: result.steps,
        size: result.size,
        values: result.values,
        seconds,
        backend: tf.getBackend(),
      };
      if (objective.kind === 'channel') {
        const means = await channelMeans(tf, loaded, objective.layer, result.images);
        const ratios = means.map((m) => selectivity(m, objective.channel));
        json.selectivity = ratios;
        lines.push(
          `own channel ÷ mean of the layer's other ${means[0].length - 1}: ${ratios.map((r) => `${r.toFixed(2)}×`).join(', ')}`,
        );
      }
      if (typeof options.compare === 'string') {
        if (objective.kind !== 'channel') throw new CliError('--compare needs a channel objective', 2);
        let files: string[];
        try {
          files = imageFilesIn(options.compare).slice(0, limit);
        } catch (error) {
          throw new CliError(
            `cannot read --compare ${options.compare}: ${(error as NodeJS.ErrnoException).code}`,
          );
        }
        if (files.length === 0) throw new CliError(`no JPEG or PNG images in ${options.compare}`);
        const best = await bestImagesPerChannel(
          tf,
          loaded,
          objective.layer,
          decodeFilesAhead(files, loaded.manifest),
        );
        const photo = best.values[objective.channel];
        const reached = Math.max(...result.values);
        json.bestPhoto = { imageId: best.imageIds[objective.channel], value: photo, of: best.imagesSeen };
        lines.push(
          `best of ${best.imagesSeen} photos: ${photo.toFixed(3)} (${best.imageIds[objective.channel]}); optimised ÷ best photo: ${(reached / photo).toFixed(2)}×`,
        );
      }
      if (typeof options.png === 'string') lines.push(`wrote ${options.png}`);
      print(json, lines.join('\n'));
    } finally {
      loaded.dispose();
    }
  },
};
