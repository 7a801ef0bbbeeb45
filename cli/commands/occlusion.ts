// `occlusion`: how much the class probability drops when a patch covers each part of --image.
import { writeFile } from 'node:fs/promises';
import { OCCLUSION_FILLS } from '@/lib/protocol/primitives';
import type { PixelImage } from '@/lib/viz';
import { type OcclusionFill, type OcclusionMethod, type OcclusionMode, occlusionMap } from '@/lib/viz';
import { decodeForModel } from '@/server/images/decode';
import { renderOcclusionPng } from '@/server/render/occlusion';
import { CliError, type Command, type OptionValues, requireOption } from '../command';
import { loadModelOption, tf } from '../model-options';

const METHODS: OcclusionMethod[] = ['incremental', 'batched'];
const MODES: OcclusionMode[] = ['exact', 'projective', 'adaptive'];

function positiveInteger(options: OptionValues, name: string): number {
  const value = Number(options[name]);
  if (!Number.isInteger(value) || value < 1) {
    throw new CliError(`--${name} expects a positive integer, got "${options[name]}"`, 2);
  }
  return value;
}

function oneOf<T extends string>(options: OptionValues, name: string, allowed: readonly T[]): T {
  const value = String(options[name]);
  if (!allowed.includes(value as T)) {
    throw new CliError(`--${name} must be one of ${allowed.join(', ')}, got "${value}"`, 2);
  }
  return value as T;
}

/** A few characters per cell, darker for larger drops: a heatmap readable in a terminal. */
function textHeatmap(rows: number, cols: number, drop: Float32Array): string {
  const shades = ' .:-=+*#%@';
  const extent = Math.max(1e-9, ...Array.from(drop, Math.abs));
  const lines: string[] = [];
  for (let r = 0; r < rows; r++) {
    let line = '';
    for (let c = 0; c < cols; c++) {
      const t = Math.max(0, drop[r * cols + c]) / extent;
      line += shades[Math.min(shades.length - 1, Math.round(t * (shades.length - 1)))].repeat(2);
    }
    lines.push(`  |${line}|`);
  }
  return lines.join('\n');
}

export const occlusionCommand: Command = {
  name: 'occlusion',
  summary: 'occlusion map of --image: class probability with a patch over each position',
  usage: [
    '  --patch <px>              patch side in model-input pixels (default 32)',
    '  --stride <px>             step between patch positions (default 8)',
    '  --class <index>           class to watch (default: the top prediction)',
    `  --fill <${OCCLUSION_FILLS.join('|')}>  what the patch shows (default grey)`,
    '  --method <incremental|batched>  incremental recomputes only what each patch changes (default)',
    '  --mode <exact|projective|adaptive>  approximate modes are faster and labelled (default exact)',
    '  --batch <n>               patch positions per forward pass (default 16)',
    '  --png <file>              write the heatmap over the image, with a colour bar',
  ].join('\n'),
  options: {
    patch: { type: 'string', default: '32' },
    stride: { type: 'string', default: '8' },
    class: { type: 'string' },
    fill: { type: 'string', default: 'grey' },
    method: { type: 'string', default: 'incremental' },
    mode: { type: 'string', default: 'exact' },
    batch: { type: 'string', default: '16' },
    png: { type: 'string' },
  },
  async run({ options, print }) {
    const patch = positiveInteger(options, 'patch');
    const stride = positiveInteger(options, 'stride');
    const batchSize = positiveInteger(options, 'batch');
    const fill = oneOf<OcclusionFill>(options, 'fill', OCCLUSION_FILLS);
    const method = oneOf(options, 'method', METHODS);
    const mode = oneOf(options, 'mode', MODES);
    const classIndex = options.class === undefined ? undefined : Number(options.class);
    const imagePath = requireOption(options, 'image');
    const loaded = await loadModelOption(options);
    try {
      const labels = loaded.manifest.labels;
      if (
        classIndex !== undefined &&
        !(Number.isInteger(classIndex) && classIndex >= 0 && classIndex < labels.length)
      ) {
        throw new CliError(
          `--class must be an integer in 0..${labels.length - 1}, got "${options.class}"`,
          2,
        );
      }
      const { height, width } = loaded.manifest.inputSize;
      if (patch > Math.min(height, width)) {
        throw new CliError(`--patch ${patch} is larger than the model input ${height}×${width}`, 2);
      }
      let image: PixelImage;
      try {
        image = await decodeForModel(imagePath, loaded.manifest);
      } catch (error) {
        throw new CliError((error as Error).message);
      }
      const map = await occlusionMap(tf, loaded, image, {
        patch,
        stride,
        fill,
        classIndex,
        batchSize,
        method,
        mode,
      });
      const label = labels[map.classIndex] ?? String(map.classIndex);
      if (typeof options.png === 'string') {
        await writeFile(
          options.png,
          await renderOcclusionPng({ image, map, label, modelName: loaded.manifest.name, fill }),
        );
      }
      let worst = 0;
      for (let i = 1; i < map.drop.length; i++) if (map.drop[i] > map.drop[worst]) worst = i;
      const text = [
        `class ${map.classIndex} (${label}): p = ${map.baseProb.toFixed(4)} on the clean image`,
        `${map.rows}×${map.cols} positions, patch ${patch}, stride ${stride}, fill ${fill}`,
        ...(map.approximation
          ? [`approximate (${map.approximation.mode}): ${map.approximation.computed} positions computed`]
          : []),
        `largest drop ${map.drop[worst].toFixed(4)} with the patch at y=${Math.floor(worst / map.cols) * stride}, x=${(worst % map.cols) * stride}`,
        textHeatmap(map.rows, map.cols, map.drop),
        ...(typeof options.png === 'string' ? [`wrote ${options.png}`] : []),
      ].join('\n');
      print(
        {
          rows: map.rows,
          cols: map.cols,
          classIndex: map.classIndex,
          baseProb: map.baseProb,
          prob: Array.from(map.prob),
          drop: Array.from(map.drop),
          ...(map.approximation && { approximation: map.approximation }),
        },
        text,
      );
    } finally {
      loaded.dispose();
    }
  },
};
