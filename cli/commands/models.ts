// `models`: the built-in models and packs this machine can load.
import { listModels } from '@/server/models/catalog';
import type { Command } from '../command';

export const modelsCommand: Command = {
  name: 'models',
  summary: 'built-in models, uploads and packs, and whether each is available here (or why not)',
  async run({ print }) {
    const models = await listModels();
    const text = models
      .map((m) => {
        const state = m.available ? 'available' : m.kind === 'pack' ? 'missing  ' : 'skipped  ';
        return `${m.id.padEnd(20)} ${m.kind.padEnd(8)} ${state} ${m.available ? m.name : (m.problem ?? m.name)}`;
      })
      .join('\n');
    print(models, text);
  },
};
