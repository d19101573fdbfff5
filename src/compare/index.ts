export {
  compareRevisions,
  renderStageName,
  type CompareHooks,
  type CompareRequest,
  type Comparison,
  type ComparisonResults,
  type SideCheck,
  type SideCheckResult,
} from './compare.js';
export { comparisonMarkdown, comparisonReportInput, comparisonStatus, headGeneratedValues } from './report.js';
export {
  renderRevisions,
  repositoryRelativePath,
  resolveRevisions,
  type RenderedRevision,
  type RenderedSides,
  type Revision,
  type RevisionRenderSettings,
} from './render-sides.js';
export type { CompareSettings } from './settings.js';
export {
  comparableEnvironments,
  NO_RESOURCE_COUNTS,
  renderFailures,
  resourceCounts,
  type ComparedSides,
  type DiffResult,
  type ResourceCounts,
  type ValidationResult,
} from './stages.js';
