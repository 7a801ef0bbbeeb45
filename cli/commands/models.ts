// `models`: the built-in models and packs this machine can load.
import { listModels } from '@/server/models/catalog';
import type { Command } from '../command';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'built-in models and packs, and whether each is available here',
  async run({ print }) {
    const models = await listModels();
    const text = models
      .map(
        (m) => `${m.id.padEnd(20)} ${m.kind.padEnd(8)} ${m.available ? 'available' : 'missing  '} ${m.name}`,
      )
      .join('\n');
    print(models, text);
  },
};
