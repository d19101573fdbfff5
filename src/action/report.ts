import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { stickyCommentMarker } from '../github/sticky-comment.js';
import type { GeneratedField } from '../render/generated-values.js';
import {
  buildJobSummary,
  buildJsonReport,
  buildMarkdownReport,
  COMMENT_BUDGET,
  isNothingToReport,
  measure,
  type ReportInput,
} from '../report/index.js';
import { generatedValuesLines } from '../report/generated-values.js';
import { failureSection } from './failure-section.js';
import { renderFailures } from './render.js';
import { reportArtifactName, shareFullReport } from './report-artifact.js';
import type { RunContext } from './run-context.js';
import { statusSection } from './status-section.js';
import type { RunVerdict } from './verdict.js';

/** The run's report in each of its places. */
export interface Report {
  comment: string;
  /** Resource diffs the comment left out for its size limit. */
  commentOmitted: number;
  summary: string;
  file: string;
}

/** What the diff report shows; undefined when the run stopped before the diff (pure). */
export function reportInput(run: RunContext): ReportInput | undefined {
  const { pr } = run;
  return run.diff
    ? {
        diff: run.diff.result,
        findings: run.validation?.findings,
        risks: run.risks,
        ignoredValues: run.ignoredValues,
        base: { ref: pr.baseRef, sha: pr.baseSha },
        head: { ref: pr.headRef, sha: pr.headSha },
      }
    : undefined;
}

/** What the run adds around the diff: the failed phase, render failures, the commit guard and the branch (pure). */
export function runStatus(run: RunContext, verdict: RunVerdict): string {
  const { settings } = run;
  return [
    ...(run.failure ? [failureSection(run.failure)] : []),
    statusSection({
      branch: run.pr.headRef,
      commit: verdict.outcome,
      guard: run.commit?.verdict,
      failures: renderFailures(run),
      allowDeletionsLabel: settings.allowDeletionsLabel,
      allowRiskLabel: settings.allowRiskLabel,
    }),
  ].join('\n');
}

/**
 * The status under the diff, after the note on generated values. A quiet run (nothing asks for
 * attention) whose diff has nothing to report leaves both out: the report then says only that (pure).
 */
export function reportStatus(options: {
  report: ReportInput | undefined;
  quiet: boolean;
  generatedValues: readonly GeneratedField[];
  status: string;
}): string {
  const { report, quiet, generatedValues, status } = options;
  if (report && quiet && isNothingToReport(report.diff, report.findings)) return '';
  return [generatedValuesLines(generatedValues).join('\n'), status].filter(Boolean).join('\n');
}

/**
 * The diff report of src/report with this run's status (failures, blocks, commit) after it. The
 * comment's diff budget is what GitHub's limit leaves after the status, so the status is never cut.
 */
export function buildReport(input: ReportInput, marker: string, status: string, omittedHint?: string): Report {
  const tail = status ? `\n${status}\n` : '';
  const commentBudget = { ...COMMENT_BUDGET, limit: COMMENT_BUDGET.limit - measure(tail, COMMENT_BUDGET) };
  const built = buildMarkdownReport(input, { budget: commentBudget, marker, omittedHint });
  const comment = `${built.body}${tail}`;
  const summary = `${buildJobSummary(input).body}${tail}`;
  const file = `${buildMarkdownReport(input).body}${tail}`;
  return { comment, commentOmitted: built.omittedResources, summary, file };
}

/** The report of a run that stopped before the diff: the title, then what failed and what to do. */
export function failureReport(marker: string, status: string): Report {
  const body = `### helmfile-hydrate: rendered manifests\n\n${status}\n`;
  return { comment: `${marker}\n${body}`, commentOmitted: 0, summary: body, file: body };
}

/** Takes the token, and the header git would send it in, out of a text (error messages quote commands and output). */
export function scrub(text: string, token: string): string {
  if (!token) return text;
  const header = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  return text.split(token).join('***').split(header).join('***');
}

function scrubReport(report: Report, token: string): Report {
  return { ...report, comment: scrub(report.comment, token), summary: scrub(report.summary, token), file: scrub(report.file, token) };
}

/**
 * The report phase: builds the report from whatever the run got to and writes report.md (and
 * report.json after a diff) under RUNNER_TEMP; a comment cut for size links the full report.
 */
export async function writeReport(run: RunContext, verdict: RunVerdict): Promise<{ report: Report; path: string }> {
  const { settings } = run;
  const marker = stickyCommentMarker(settings.helmfile);
  const input = reportInput(run);
  const status = runStatus(run, verdict);
  const tail = reportStatus({
    report: input,
    quiet: verdict.quiet,
    generatedValues: run.renders?.head.environments.flatMap((environment) => environment.generated ?? []) ?? [],
    status,
  });
  let report = scrubReport(input ? buildReport(input, marker, tail) : failureReport(marker, status), settings.token);

  const path = join(process.env.RUNNER_TEMP || tmpdir(), 'helmfile-hydrate', 'report.md');
  const jsonPath = path.replace(/\.md$/, '.json');
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, report.file);
  if (input) await writeFile(jsonPath, buildJsonReport(input));
  // A cut comment links the full report, one click away.
  if (input && report.commentOmitted > 0) {
    const hint = await shareFullReport(reportArtifactName(settings.helmfile), [path, jsonPath], core);
    report = scrubReport(buildReport(input, marker, tail, hint), settings.token);
  }
  return { report, path };
}

/** The job summary: the report, then any GitHub API problem (the comment may be what failed). */
export async function writeJobSummary(run: RunContext, summary: string, apiProblems: readonly string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const notes = apiProblems.length > 0 ? `\n### :x: GitHub API\n\n${apiProblems.map((problem) => `- ${problem}`).join('\n')}\n` : '';
  await core.summary.addRaw(scrub(`${summary}${notes}`, run.settings.token), true).write();
}
