import { parseArgs, type ParseArgsConfig } from 'node:util';

/**
 * A command's options, parsed the one way every command parses them: unknown options and stray
 * arguments are usage errors (parseArgs throws; the CLI prints the usage and exits 2).
 */
export function parseCommandOptions<const Options extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: Options) {
  return parseArgs({ args: argv, options, strict: true, allowPositionals: false }).values;
}
