import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatSettingError, SettingError } from '../settings/setting-error.js';
import { parseSetting, settingEntries, type CliCommand, type SettingKey, type SettingSpec, type SettingValues } from '../settings/table.js';
import { UsageError } from './exit-codes.js';

type ParseArgsOptions = NonNullable<ParseArgsConfig['options']>;

/** The settings a command takes as flags, in table order. */
function commandSettings(command: CliCommand): [SettingKey, SettingSpec<unknown> & { flag: string }][] {
  return settingEntries().filter((entry): entry is [SettingKey, SettingSpec<unknown> & { flag: string }] =>
    Boolean(entry[1].flag && entry[1].commands?.includes(command)),
  );
}

/** The command's options for `node:util` parseArgs: every flag of the table, `--no-<flag>` for booleans, and `--help`. */
export function commandOptions(command: CliCommand): ParseArgsOptions {
  const options: ParseArgsOptions = { help: { type: 'boolean', short: 'h' } };
  for (const [, spec] of commandSettings(command)) {
    const short = spec.short ? { short: spec.short } : {};
    if (spec.kind === 'boolean') {
      options[spec.flag] = { type: 'boolean', ...short };
      options[`no-${spec.flag}`] = { type: 'boolean' };
    } else {
      options[spec.flag] = { type: 'string', multiple: spec.kind === 'list', ...short };
    }
  }
  return options;
}

/** A command's flags, read: every setting's value (the default when not given), and which were given. */
export interface CommandFlags {
  settings: SettingValues;
  given: ReadonlySet<SettingKey>;
  help: boolean;
}

/**
 * Parses a command's arguments the one way every command does: unknown options and stray arguments
 * are usage errors, each flag's value goes through its setting's parser (a bad one is a usage
 * error naming the flag), list flags are comma-separated and repeatable.
 */
export function parseFlags(argv: string[], command: CliCommand, cwd: string = process.cwd()): CommandFlags {
  const values = parseArgs({ args: argv, options: commandOptions(command), strict: true, allowPositionals: false }).values as Record<
    string,
    string | string[] | boolean | undefined
  >;
  const settings = Object.fromEntries(settingEntries().map(([key, spec]) => [key, cliDefault(spec, command)])) as SettingValues;
  const given = new Set<SettingKey>();
  for (const [key, spec] of commandSettings(command)) {
    const raw = rawFlag(values, spec);
    if (raw === undefined) continue;
    given.add(key);
    try {
      (settings as Record<SettingKey, unknown>)[key] = parseSetting(key, raw, { surface: 'cli', cwd });
    } catch (error) {
      throw error instanceof SettingError ? new UsageError(formatSettingError(error, 'cli')) : error;
    }
  }
  return { settings, given, help: values.help === true };
}

/** What a flag is when not given: the command's own default, else the CLI's, else the action's. */
function cliDefault(spec: SettingSpec<unknown>, command: CliCommand): unknown {
  if (spec.commandDefaults && command in spec.commandDefaults) return spec.commandDefaults[command];
  return 'cliDefault' in spec ? spec.cliDefault : spec.default;
}

/** A flag's text as its parser reads it (repeated list flags joined by commas); undefined when not given. */
function rawFlag(
  values: Record<string, string | string[] | boolean | undefined>,
  spec: SettingSpec<unknown> & { flag: string },
): string | undefined {
  if (spec.kind === 'boolean') {
    const on = values[spec.flag] === true;
    const off = values[`no-${spec.flag}`] === true;
    if (on && off) throw new UsageError(`--${spec.flag} and --no-${spec.flag} contradict each other; give one of them`);
    return on ? 'true' : off ? 'false' : undefined;
  }
  const value = values[spec.flag];
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'string' && value.trim() === '') throw new UsageError(`--${spec.flag} must not be empty`);
  return String(value);
}

const HELP_COLUMN = 30;
const HELP_WIDTH = 100;

/** The "Options:" lines of a command's help, from the table. */
export function flagsUsage(command: CliCommand): string {
  const lines = commandSettings(command).flatMap(([, spec]) => optionLines({ ...spec, default: cliDefault(spec, command) }));
  lines.push(...optionLines({ flag: 'help', short: 'h', kind: 'boolean', description: 'Show this help.', default: false }));
  return lines.join('\n');
}

function optionLines(
  spec: Pick<SettingSpec<unknown>, 'short' | 'kind' | 'placeholder' | 'description' | 'default' | 'cliDefault'> & { flag: string },
): string[] {
  const name = spec.kind === 'boolean' && spec.default === true ? `--[no-]${spec.flag}` : `--${spec.flag}`;
  const left = `  ${spec.short ? `-${spec.short}, ` : '    '}${name}${spec.kind === 'boolean' ? '' : ` ${spec.placeholder ?? 'VALUE'}`}`;
  const fallback = 'cliDefault' in spec ? spec.cliDefault : spec.default;
  const shown = Array.isArray(fallback) ? fallback.join(',') : fallback;
  const defaultText = spec.kind !== 'boolean' && shown !== undefined && shown !== '' ? ` Default: ${String(shown)}.` : '';
  const text = `${spec.description.replace(/ \(true or false\)/, '')}${spec.kind === 'list' ? ' Comma-separated, repeatable.' : ''}${defaultText}`;
  const wrapped = wrap(text, HELP_WIDTH - HELP_COLUMN);
  const indent = ' '.repeat(HELP_COLUMN);
  if (left.length < HELP_COLUMN - 1)
    return [`${left.padEnd(HELP_COLUMN)}${wrapped[0]}`, ...wrapped.slice(1).map((line) => `${indent}${line}`)];
  return [left, ...wrapped.map((line) => `${indent}${line}`)];
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}
