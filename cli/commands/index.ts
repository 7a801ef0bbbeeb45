// The command registry: one import and one entry per command, each in its own file.
import type { Command } from '../command';
import { atlasCommand } from './atlas';
import { dreamCommand } from './dream';
import { filtersCommand } from './filters';
import { infoCommand } from './info';
import { modelsCommand } from './models';
import { occlusionCommand } from './occlusion';
import { predictCommand } from './predict';
import { rfCommand } from './rf';
import { topCommand } from './top';

export const COMMANDS: Command[] = [
  modelsCommand,
  infoCommand,
  rfCommand,
  predictCommand,
  occlusionCommand,
  filtersCommand,
  topCommand,
  atlasCommand,
  dreamCommand,
];
