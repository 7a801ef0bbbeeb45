// `rf`: receptive field of every layer, or the input box of one neuron (--neuron layer,y,x).
import { layerReceptiveFields, neuronReceptiveField } from '@/lib/viz';
import { CliError, type Command } from '../command';
import { loadModelOption } from '../model-options';

export const rfCommand: Command = {
  name: 'rf',
  summary: 'receptive field (size, jump, start) of every layer, or one neuron’s box',
  usage: '  --neuron <layer>,<y>,<x>  the half-open box [y0, x0, y1, x1] of one neuron, in input pixels',
  options: { neuron: { type: 'string' } },
  async run({ options, print }) {
    const loaded = await loadModelOption(options);
    try {
      const fields = layerReceptiveFields(loaded.layers);
      if (typeof options.neuron === 'string') {
        const [layer, y, x] = parseNeuron(options.neuron);
        if (!fields.has(layer)) {
          throw new CliError(
            `unknown layer "${layer}" in model ${loaded.manifest.id} (see: info --model ${loaded.manifest.id})`,
          );
        }
        let result: ReturnType<typeof neuronReceptiveField>;
        try {
          result = neuronReceptiveField(loaded.layers, { layer, y, x }, fields);
        } catch (error) {
          throw new CliError((error as Error).message);
        }
        print(result, `box [${result.box.join(', ')}], clipped to the image [${result.clipped.join(', ')}]`);
        return;
      }
      const rows = loaded.layers.map((layer) => {
        const field = fields.get(layer.name)!;
        return {
          name: layer.name,
          kind: layer.kind,
          outputShape: layer.outputShape,
          rf: field.size,
          jump: field.jump,
          start: field.start,
        };
      });
      const text = rows
        .map(
          (row) =>
            `${row.name.padEnd(32)} ${row.kind.padEnd(17)} rf ${row.rf.join('×').padEnd(9)} ` +
            `jump ${row.jump.join('×').padEnd(7)} start ${row.start.join(',')}`,
        )
        .join('\n');
      print(rows, text);
    } finally {
      loaded.dispose();
    }
  },
};

function parseNeuron(value: string): [string, number, number] {
  const parts = value.split(',');
  const [x, y] = [parts.pop(), parts.pop()].map((part) => Number(part?.trim()));
  const layer = parts.join(',').trim();
  if (!layer || !Number.isInteger(y) || !Number.isInteger(x)) {
    throw new CliError(`--neuron expects <layer>,<y>,<x> (e.g. conv1,3,4), got "${value}"`, 2);
  }
  return [layer, y, x];
}
