export { formatSettingError, SettingError } from './setting-error.js';
export {
  parseSetting,
  SETTINGS,
  settingEntries,
  settingName,
  splitList,
  type CliCommand,
  type ParseContext,
  type SettingKey,
  type SettingSpec,
  type SettingSurface,
  type SettingValue,
  type SettingValues,
} from './table.js';
