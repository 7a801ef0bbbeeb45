// `info`: the manifest and the layer list of a model.
import type { Command } from '../command';
import { loadModelOption } from '../model-options';

export const infoCommand: Command = {
  name: 'info',
  summary: 'the manifest and the layer list',
  async run({ options, print }) {
    const loaded = await loadModelOption(options);
    try {
      const { manifest, layers } = loaded;
      const labels = manifest.labels.length > 6 ? [...manifest.labels.slice(0, 5), '…'] : manifest.labels;
      const text = [
        `${manifest.name} (${manifest.id})`,
        `source: ${manifest.source}`,
        `input: ${manifest.inputSize.height}×${manifest.inputSize.width}×${manifest.inputSize.channels}, ` +
          `${manifest.preprocessing.resize}, (x − [${manifest.preprocessing.mean.join(', ')}]) × ` +
          `${manifest.preprocessing.scale} + ${manifest.preprocessing.offset}`,
        `output: ${manifest.labels.length} classes (${manifest.output}): ${labels.join(', ')}`,
        ...(manifest.accuracy
          ? [`accuracy: ${(manifest.accuracy.value * 100).toFixed(2)}% on ${manifest.accuracy.dataset}`]
          : []),
        '',
        ...layers.map(
          (layer) => `${layer.name.padEnd(32)} ${layer.kind.padEnd(17)} [${layer.outputShape.join(', ')}]`,
        ),
      ].join('\n');
      print({ manifest, layers }, text);
    } finally {
      loaded.dispose();
    }
  },
};
