export { compareFindings } from './findings/compare.js';
export type { Finding, FindingsComparison, SkippedResource } from './findings/finding.js';
export {
  DEFAULT_KUBERNETES_VERSION,
  NEWEST_SUPPORTED_KUBERNETES_VERSION,
  parseKubernetesVersion,
  type KubernetesVersion,
} from './schemas/kubernetes-version.js';
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
} from './findings/output.js';
export { SchemaDownloadError } from './schemas/schema-download.js';
export {
  createSchemaSource,
  DEFAULT_SCHEMA_BASE_URL,
  defaultSchemaCacheRoot,
  type LoadedDocument,
  type SchemaSource,
  type SchemaSourceSettings,
} from './schemas/schema-source.js';
export { sortFindings, sortSkipped } from './findings/ordering.js';
export { FINDING_RULES, validateEnvironments, type ApiServerCoverage, type ValidationOptions, type ValidationReport } from './validate.js';
export { skipMatcher } from './skip-kinds.js';
