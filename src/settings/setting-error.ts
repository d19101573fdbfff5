// The table and this module import each other (its parsers throw SettingErrors; errors are named
// from its rows). Neither uses the other while loading, so either may load first; a module the
// table imports must therefore not extend SettingError (its class would be read before it exists).
import { settingName, type SettingKey, type SettingSurface } from './table.js';

/**
 * A setting whose value cannot work, raised by library code. It carries the setting's key, not a
 * flag or input name: the CLI and the action each print it with their own name
 * (formatSettingError). Its message, for code that prints any error as it is, uses the setting's
 * plain noun (`Kubernetes version "1.x": ...`), true on every surface.
 */
export class SettingError extends Error {
  override name = 'SettingError';

  constructor(
    readonly setting: SettingKey,
    /** The bad value as given, when one value is to blame. */
    readonly value: string | undefined,
    /** What is wrong with it. */
    readonly problem: string,
    /** What to do instead; '' when the problem says it. */
    readonly fix: string,
  ) {
    super(describeSettingProblem(setting, value, problem, fix, 'library'));
  }
}

/** The error as `surface` reports it; any other error is its message. */
export function formatSettingError(error: unknown, surface: SettingSurface): string {
  if (error instanceof SettingError) return describeSettingProblem(error.setting, error.value, error.problem, error.fix, surface);
  return error instanceof Error ? error.message : String(error);
}

function describeSettingProblem(
  setting: SettingKey,
  value: string | undefined,
  problem: string,
  fix: string,
  surface: SettingSurface | 'library',
): string {
  return `${settingName(setting, surface)}${value === undefined ? '' : ` ${JSON.stringify(value)}`}: ${problem}${fix ? `; ${fix}` : ''}`;
}
