export { loadChartDirectory, templateReferences, type ChartValues, type TemplateReferences } from './chart-values.js';
export { findIgnoredKeys, nearest, type IgnoredKey } from './ignored-values.js';
export { keyLine } from './key-line.js';
export {
  formatIgnoredValue,
  formatIgnoredValuesText,
  groupIgnoredValues,
  type IgnoredValue,
  type IgnoredValueGroup,
} from './ignored-value.js';
export { findIgnoredValues, ValuesCheckError } from './release-values.js';
