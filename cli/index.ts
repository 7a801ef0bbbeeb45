// ConvLens command line: npm run cli -- <command> [--model <id|dir|url>] [--image <file>] [--json]
import { parseArgs } from 'node:util';
import { CliError, type Command } from './command';
import { COMMANDS } from './commands';
import { COMMON_OPTIONS, COMMON_USAGE } from './model-options';

function usage(command?: Command): string {
  if (command) {
    return [
      `usage: npm run cli -- ${command.name} [options]`,
      '',
      command.summary,
      '',
      ...COMMON_USAGE,
      command.usage ?? '',
    ]
      .join('\n')
      .trimEnd();
  }
  return [
    'usage: npm run cli -- <command> [options]',
    '',
    'commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(10)} ${c.summary}`),
    '',
    'options:',
    ...COMMON_USAGE,
    '',
    'npm run cli -- help <command> for its own options',
  ].join('\n');
}

async function main(argv: string[]): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const command = COMMANDS.find((c) => c.name === rest[0]);
    console.log(usage(command));
    return;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    throw new CliError(`unknown command "${name}" (commands: ${COMMANDS.map((c) => c.name).join(', ')})`, 2);
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: rest,
      options: { ...COMMON_OPTIONS, ...command.options },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`${(error as Error).message.split('\n')[0]} (npm run cli -- help ${command.name})`, 2);
  }
  const options = parsed.values as Record<string, string | boolean | undefined>;
  if (options.help) {
    console.log(usage(command));
    return;
  }
  await command.run({
    options,
    positionals: parsed.positionals,
    print: (json, text) => console.log(options.json ? JSON.stringify(json, null, 2) : text),
  });
}

// Exit once stdout is flushed (a pipe may still hold the JSON), whatever handles tf.js keeps open.
function exit(code: number): void {
  process.stdout.write('', () => process.exit(code));
}

main(process.argv.slice(2)).then(
  () => exit(0),
  (error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`error: ${message.split('\n')[0]}`);
    exit(error instanceof CliError ? error.exitCode : 1);
  },
);
