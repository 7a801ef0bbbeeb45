// `filters`: a conv layer's kernels, how alike they are, and near-duplicate pairs.
import { writeFile } from 'node:fs/promises';
import { convLayerNames, filterSimilarity, filterWeights, preferredInputs, readFilterBank } from '@/lib/viz';
import { renderFiltersPng } from '@/server/render/filters';
import { CliError, type Command } from '../command';
import { loadModelOption, tf } from '../model-options';

export const filtersCommand: Command = {
  name: 'filters',
  summary: 'kernels of a conv layer, their cosine similarity and near-duplicates',
  usage: [
    '  --layer <name>            conv or depthwise layer (default: the first conv layer)',
    '  --threshold <t>           |cos| at or above which two filters count as near-duplicates (default 0.9)',
    '  --png <file>              write the filter grid, preferred inputs and similarity matrix',
  ].join('\n'),
  options: {
    layer: { type: 'string' },
    threshold: { type: 'string', default: '0.9' },
    png: { type: 'string' },
  },
  async run({ options, print }) {
    const threshold = Number(options.threshold);
    if (!(threshold >= 0 && threshold <= 1)) {
      throw new CliError(`--threshold expects a number in 0..1, got "${options.threshold}"`, 2);
    }
    const loaded = await loadModelOption(options);
    try {
      const layers = convLayerNames(loaded);
      const layer = typeof options.layer === 'string' ? options.layer : layers[0];
      if (!layer || !layers.includes(layer)) {
        throw new CliError(
          `"${options.layer}" is not a conv layer of ${loaded.manifest.id}; conv layers: ${layers.join(', ')}`,
        );
      }
      const bank = await readFilterBank(tf, loaded, layer);
      const similarity = await filterSimilarity(tf, bank, threshold);
      const first = layers[0] === layer;
      if (typeof options.png === 'string') {
        await writeFile(
          options.png,
          await renderFiltersPng({ modelName: loaded.manifest.name, bank, similarity }),
        );
      }
      const n = bank.count;
      const json = {
        layer,
        kind: bank.kind,
        kernel: [bank.kernelHeight, bank.kernelWidth],
        inChannels: bank.inChannels,
        count: n,
        layout: 'filters[f] is flattened (ky, kx, inChannel)',
        filters: Array.from({ length: n }, (_, f) => Array.from(filterWeights(bank, f))),
        ...(first ? { preferredInputs: preferredInputs(bank).inputs.map((x) => Array.from(x)) } : {}),
        similarity: {
          threshold,
          order: similarity.order,
          nearDuplicates: similarity.nearDuplicates,
          matrix: Array.from({ length: n }, (_, i) =>
            Array.from(similarity.matrix.subarray(i * n, (i + 1) * n)),
          ),
        },
      };
      const duplicates = similarity.nearDuplicates;
      const text = [
        `${layer}: ${n} ${bank.kind === 'depthwise-conv2d' ? 'depthwise ' : ''}filters of ${bank.kernelHeight}×${bank.kernelWidth}×${bank.inChannels}`,
        `${duplicates.length} near-duplicate pair${duplicates.length === 1 ? '' : 's'} (|cos| ≥ ${threshold})${duplicates.length ? ':' : ''}`,
        ...duplicates.slice(0, 20).map((d) => `  ${d.i} ~ ${d.j}  cos ${d.cosine.toFixed(3)}`),
        ...(duplicates.length > 20 ? [`  … ${duplicates.length - 20} more (--json for all)`] : []),
        `similarity order: ${similarity.order.slice(0, 32).join(' ')}${n > 32 ? ' …' : ''}`,
        ...(typeof options.png === 'string' ? [`wrote ${options.png}`] : []),
      ].join('\n');
      print(json, text);
    } finally {
      loaded.dispose();
    }
  },
};
