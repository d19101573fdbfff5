import type { SettingKey, SettingSurface } from './table.js';

/**
 * What a surface calls a setting, installed by the settings table when it loads (the table's
 * parsers throw SettingErrors, so this module cannot import it).
 */
let settingName: (setting: SettingKey, surface: SettingSurface | 'library') => string = (setting) => setting;

export function useSettingNames(names: typeof settingName): void {
  settingName = names;
}

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
