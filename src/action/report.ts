import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { comparisonMarkdown, comparisonReportInput, comparisonStatus, headGeneratedValues } from '../compare/report.js';
import { renderFailures } from '../compare/stages.js';
import { stickyCommentMarker } from '../github/sticky-comment.js';
import { buildJsonReport } from '../report/json.js';
import { COMMENT_BUDGET, JOB_SUMMARY_BUDGET } from '../report/limits.js';
import type { ReportInput } from '../report/report-input.js';
import { failureSection } from './failure-section.js';
import { reportArtifactName, shareFullReport } from './report-artifact.js';
import type { RunContext } from './run-context.js';
import { statusSection } from './status-section.js';
import type { JobOutcome } from './job-outcome.js';

/** The run's report in each of its places. */
export interface Report {
  comment: string;
  /** Resource diffs the comment left out for its size limit. */
  commentOmitted: number;
  summary: string;
  file: string;
}

/** What the action adds under the comparison's status: the failed phase, the commit guard and the branch (pure). */
export function runStatus(run: RunContext, outcome: JobOutcome): string {
  const { settings } = run;
  return [
    ...(run.failure ? [failureSection(run.failure)] : []),
    statusSection({
      branch: run.pr.headRef,
      commit: outcome.commit,
      guard: run.commit?.guard,
      allowDeletionsLabel: settings.allowDeletionsLabel,
      allowRiskLabel: settings.allowRiskLabel,
    }),
  ].join('\n');
}

/**
 * The report in its three places: the comment (the pipeline's markdown with the marker, cut to
 * GitHub's limit; `helmfile-hydrate diff --format markdown` prints the same text without the
 * marker and the action's own status), the job summary and the full file.
 */
export function buildReport(input: ReportInput, marker: string, status: string, omittedHint?: string): Report {
  const comment = comparisonMarkdown(input, { budget: COMMENT_BUDGET, marker, omittedHint, status });
  const summary = comparisonMarkdown(input, { budget: JOB_SUMMARY_BUDGET, omittedHint: 'see the report artifact', status });
  const file = comparisonMarkdown(input, { status });
  return { comment: comment.body, commentOmitted: comment.omittedResources, summary: summary.body, file: file.body };
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
export async function writeReport(run: RunContext, outcome: JobOutcome): Promise<{ report: Report; path: string }> {
  const { settings } = run;
  const marker = stickyCommentMarker(settings.helmfile);
  const input = comparisonReportInput(run, {
    base: { ref: run.pr.baseRef, sha: run.pr.baseSha },
    head: { ref: run.pr.headRef, sha: run.pr.headSha },
  });
  const after = runStatus(run, outcome);
  const status = comparisonStatus({
    input,
    quiet: outcome.quiet,
    generatedValues: headGeneratedValues(run),
    failures: renderFailures(run.renders),
    after,
  });
  let report = scrubReport(input ? buildReport(input, marker, status) : failureReport(marker, status), settings.token);

  const path = join(process.env.RUNNER_TEMP || tmpdir(), 'helmfile-hydrate', 'report.md');
  const jsonPath = path.replace(/\.md$/, '.json');
  await mkdir(join(path, '..'), { recursive: true });
  await writeFile(path, report.file);
  if (input) await writeFile(jsonPath, buildJsonReport(input));
  // A cut comment links the full report, one click away.
  if (input && report.commentOmitted > 0) {
    const hint = await shareFullReport(reportArtifactName(settings.helmfile), [path, jsonPath], core);
    report = scrubReport(buildReport(input, marker, status, hint), settings.token);
  }
  return { report, path };
}

/** The job summary: the report, then any GitHub API problem (the comment may be what failed). */
export async function writeJobSummary(run: RunContext, summary: string, apiProblems: readonly string[]): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  const notes = apiProblems.length > 0 ? `\n### :x: GitHub API\n\n${apiProblems.map((problem) => `- ${problem}`).join('\n')}\n` : '';
  await core.summary.addRaw(scrub(`${summary}${notes}`, run.settings.token), true).write();
}
