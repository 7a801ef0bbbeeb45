// The command registry: one import and one entry per command, each in its own file.
import type { Command } from '../command';
import { infoCommand } from './info';
import { modelsCommand } from './models';
import { predictCommand } from './predict';
import { rfCommand } from './rf';

export const COMMANDS: Command[] = [modelsCommand, infoCommand, rfCommand, predictCommand];
