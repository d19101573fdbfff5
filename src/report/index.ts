export { buildJsonReport, JSON_REPORT_VERSION } from './json.js';
export {
  COMMENT_BUDGET,
  GITHUB_COMMENT_MAX_CHARACTERS,
  JOB_SUMMARY_BUDGET,
  JOB_SUMMARY_MAX_BYTES,
  measure,
  type ReportBudget,
} from './limits.js';
export { buildCommentBody, buildJobSummary, buildMarkdownReport, type MarkdownOptions, type MarkdownReport } from './markdown.js';
export { fencedBlock } from './markdown-text.js';
export type { ReportInput, ReportRevision } from './report-input.js';
export {
  headline,
  isNothingToReport,
  noiseLine,
  summarizeEnvironment,
  versionChange,
  type EnvironmentSummary,
  type VersionChange,
} from './summary.js';
export { buildTextReport } from './text.js';
export { riskCounts, riskMarkdownLines, riskTextLines } from './risks.js';
export { checkCoverageMarkdownLines, checkCoverageTextLines, type CheckCoverage } from './check-coverage.js';
