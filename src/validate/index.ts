export { compareFindings } from './compare.js';
export type { Finding, FindingsComparison, SkippedResource } from './finding.js';
export {
  DEFAULT_KUBERNETES_VERSION,
  NEWEST_SUPPORTED_KUBERNETES_VERSION,
  parseKubernetesVersion,
  type KubernetesVersion,
} from './kubernetes-version.js';
export { readManifestsForValidation, type ManifestsForValidation } from './manifest-files.js';
export {
  findingAnnotation,
  findingFilePath,
  findingsToJson,
  formatFindingsText,
  formatFindingText,
  formatReportText,
  formatSkippedText,
  summaryLine,
} from './output.js';
export { SchemaDownloadError } from './schema-download.js';
export {
  createSchemaSource,
  DEFAULT_SCHEMA_BASE_URL,
  defaultSchemaCacheRoot,
  type LoadedDocument,
  type SchemaSource,
  type SchemaSourceSettings,
} from './schema-source.js';
export { sortFindings, sortSkipped } from './ordering.js';
export { FINDING_RULES, validateEnvironments, type ValidationOptions, type ValidationReport } from './validate.js';
