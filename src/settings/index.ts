export { formatSettingError, SettingError } from './setting-error.js';
export { SETTING_NAMES, settingName, type SettingKey, type SettingSurface } from './setting-names.js';
