import { GITHUB_COMMENT_MAX_CHARACTERS } from '../defaults.js';

export { GITHUB_COMMENT_MAX_CHARACTERS };

/** GitHub Actions job summaries are limited to 1 MiB per step (`$GITHUB_STEP_SUMMARY` upload limit). */
export const JOB_SUMMARY_MAX_BYTES = 1_048_576;

/** How a body is measured against its limit. */
export interface ReportBudget {
  limit: number;
  /** `characters`: UTF-16 code units (never fewer than GitHub's count); `bytes`: UTF-8 bytes. */
  unit: 'characters' | 'bytes';
}

export const COMMENT_BUDGET: ReportBudget = { limit: GITHUB_COMMENT_MAX_CHARACTERS, unit: 'characters' };
export const JOB_SUMMARY_BUDGET: ReportBudget = { limit: JOB_SUMMARY_MAX_BYTES, unit: 'bytes' };

export function measure(text: string, budget: ReportBudget): number {
  return budget.unit === 'bytes' ? Buffer.byteLength(text, 'utf8') : text.length;
}
