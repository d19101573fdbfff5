import type { GeneratedField } from '../model/manifests.js';
import type { RenderFailure } from '../render/errors.js';
import { buildMarkdownReport } from '../report/markdown.js';
import { isNothingToReport } from '../report/summary.js';
import { measure, type ReportBudget } from '../report/limits.js';
import type { ReportInput } from '../report/report-input.js';
import { generatedValuesLines } from '../report/generated-values.js';
import { renderFailuresSection } from '../report/render-failures.js';
import type { Side } from '../side.js';
import type { ComparisonResults } from './compare.js';
import type { Revision } from './render-sides.js';

/** What the diff report shows; undefined when the comparison stopped before the diff (pure). */
export function comparisonReportInput(results: ComparisonResults, revisions: Record<Side, Revision>): ReportInput | undefined {
  return results.diff
    ? {
        diff: results.diff.result,
        findings: results.validation?.findings,
        risks: results.risks,
        ignoredValues: results.ignoredValues,
        ...(results.checks?.length ? { checks: results.checks } : {}),
        ...(results.resolvedImages?.length ? { resolvedImages: results.resolvedImages } : {}),
        base: revisions.base,
        head: revisions.head,
      }
    : undefined;
}

/**
 * What the report says under the diff: the note on generated values, the render failures, then
 * `after` (what the action adds: the failed phase, the commit guard, the branch). A quiet
 * comparison (nothing asks for attention) whose diff has nothing to report says none of it (pure).
 */
export function comparisonStatus(options: {
  input: ReportInput | undefined;
  quiet: boolean;
  generatedValues: readonly GeneratedField[];
  failures: readonly RenderFailure[];
  after?: string;
}): string {
  const { input, quiet } = options;
  if (input && quiet && isNothingToReport(input.diff, input.findings)) return '';
  return [generatedValuesLines(options.generatedValues).join('\n'), renderFailuresSection(options.failures), options.after]
    .filter(Boolean)
    .join('\n');
}

/** Fields the head's charts generate on every render. */
export function headGeneratedValues(results: ComparisonResults): GeneratedField[] {
  return results.renders?.head.environments.flatMap((environment) => environment.generated ?? []) ?? [];
}

export interface ComparisonMarkdownOptions {
  budget?: ReportBudget;
  /** The sticky comment's hidden marker, put first. */
  marker?: string;
  omittedHint?: string;
  /** What follows the diff (see comparisonStatus); never cut: the diff's budget is what the status leaves. */
  status: string;
}

/**
 * The report as markdown: the diff report, then the status. The pull request comment and
 * `helmfile-hydrate diff --format markdown` are this one text (pure).
 */
export function comparisonMarkdown(input: ReportInput, options: ComparisonMarkdownOptions): { body: string; omittedResources: number } {
  const tail = options.status ? `\n${options.status}\n` : '';
  const budget = options.budget ? { ...options.budget, limit: options.budget.limit - measure(tail, options.budget) } : undefined;
  const built = buildMarkdownReport(input, { budget, marker: options.marker, omittedHint: options.omittedHint });
  return { body: `${built.body}${tail}`, omittedResources: built.omittedResources };
}
