// `predict`: the top classes for an image (softmax applied for logits models).
import { CliError, type Command } from '../command';
import { loadImageOption, loadModelOption, tf } from '../model-options';

export const predictCommand: Command = {
  name: 'predict',
  summary: 'top classes for --image',
  usage: '  --top <k>                 how many classes (default 5)',
  options: { top: { type: 'string', default: '5' } },
  async run({ options, print }) {
    const top = Number(options.top);
    if (!Number.isInteger(top) || top < 1)
      throw new CliError(`--top expects a positive integer, got "${options.top}"`, 2);
    const loaded = await loadModelOption(options);
    try {
      const input = await loadImageOption(options, loaded);
      const probabilities = tf.tidy(() => {
        const output = tf.reshape(loaded.model.predict(input) as tf.Tensor, [-1]);
        return loaded.manifest.output === 'logits' ? tf.softmax(output) : output;
      });
      input.dispose();
      const values = await probabilities.data();
      probabilities.dispose();
      const ranked = Array.from(values.keys())
        .sort((a, b) => values[b] - values[a])
        .slice(0, top)
        .map((index) => ({ index, label: loaded.manifest.labels[index], prob: values[index] }));
      const text = ranked
        .map((row) => `${(row.prob * 100).toFixed(2).padStart(6)}%  ${row.label} (${row.index})`)
        .join('\n');
      print(ranked, text);
    } finally {
      loaded.dispose();
    }
  },
};
