// The contract every CLI command implements. A command is one file under cli/commands/ and one line in
// cli/commands/index.ts.
import type { ParseArgsConfig } from 'node:util';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

export interface CommandContext {
  /** Parsed options: the common ones (model, image, json) and the command's own. */
  options: OptionValues;
  /** Arguments after the options. */
  positionals: string[];
  /** Writes one result: JSON with --json, else the text form. */
  print(json: unknown, text: string): void;
}

export interface Command {
  name: string;
  summary: string;
  /** Extra usage text shown by `help <command>`, after the options. */
  usage?: string;
  options?: OptionSpecs;
  run(context: CommandContext): Promise<void>;
}

/** An error the user can fix: printed as one line, exit code 1 (2 for usage errors). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function requireOption(options: OptionValues, name: string): string {
  const value = options[name];
  if (typeof value !== 'string' || value === '') throw new CliError(`--${name} is required`, 2);
  return value;
}
