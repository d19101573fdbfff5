import * as core from '@actions/core';
import { pullRequestSkipReason } from '../github/pull-request-filter.js';
import type { PullRequestContext } from '../github/pull-request.js';
import type { ActionSettings } from '../inputs.js';
import { postComment } from './comment.js';
import { commitManifests } from './commit.js';
import { describeCommitOutcome } from './commit-outcome.js';
import { setRunStatus } from './commit-status.js';
import { setOutputs } from './outputs.js';
import { phase } from './phase.js';
import { scrub, writeJobSummary, writeReport } from './report.js';
import { createRunContext, reached, record, step, type RunContext } from './run-context.js';
import { assertRunnable, withCredentialsWithheld } from './setup.js';
import { prepareTools } from './tools.js';
import { jobEnd, jobOutcome } from './job-outcome.js';
import { NO_RESOURCE_COUNTS, renderFailures } from '../compare/stages.js';
import { annotateFindings } from './annotations.js';
import { compareSides } from './compare.js';

/**
 * The action on one pull request: every phase, then the report. From the first phase on, every
 * failure is reported (comment or job summary, commit status, failed job), never thrown.
 */
export async function runAction(settings: ActionSettings, pr: PullRequestContext): Promise<void> {
  const skip = pullRequestSkipReason(pr, { authors: settings.pullRequestAuthors, branchPrefixes: settings.branchPrefixes });
  if (skip) {
    core.info(`skipping pull request #${pr.number}: ${skip}`);
    setOutputs({ changed: false, counts: NO_RESOURCE_COUNTS, validationErrors: 0, reportPath: '', commitSha: '' });
    return;
  }
  const run = createRunContext(settings, pr);
  try {
    await assertRunnable(run);
    await withCredentialsWithheld(run, () => runPhases(run));
  } catch (error) {
    run.failure = { phase: run.phase, error };
  }
  await reportRun(run);
}

/** Tools, the comparison (renders, validation, values, diff, risks) and the commit; each adds its results to the run. */
async function runPhases(run: RunContext): Promise<void> {
  const tooled = record(run, { toolchain: await step(run, 'tools', () => prepareTools(run)) });
  await compareSides(tooled);
  const compared = reached(tooled);
  const committed = record(compared, { commit: await step(run, 'commit', () => commitManifests(compared)) });
  core.info(describeCommitOutcome(committed.commit.outcome, run.pr.headRef));
}

/**
 * Reports whatever the run got to: the report files, the comment (or only the job summary, for
 * read-only tokens), the commit status, the outputs, and the job's result. Runs after a failure too.
 */
async function reportRun(run: RunContext): Promise<void> {
  annotateFindings(run);
  const outcome = jobOutcome({
    failure: run.failure,
    renderFailures: renderFailures(run.renders),
    commit: run.commit,
    counts: run.diff?.counts,
    validationErrors: run.validation?.introducedErrors,
    branch: run.pr.headRef,
  });
  const { report, path } = await writeReport(run, outcome);
  // GitHub API problems fail the job and are told in the job summary too: the comment may be what failed.
  const problems = [...outcome.problems];
  const commentProblem = await phase('comment', () => postComment(run, report.comment));
  if (commentProblem) problems.push(commentProblem);
  const statusProblem = await setRunStatus(run, problems, outcome);
  if (statusProblem) problems.push(statusProblem);
  const apiProblems = [commentProblem, statusProblem].filter((problem) => problem !== undefined);
  await writeJobSummary(run, report.summary, apiProblems);
  setOutputs({ ...outcome.outputs, reportPath: path });
  const end = jobEnd(problems, outcome.notice);
  if (end && 'failed' in end) core.setFailed(scrub(end.failed, run.settings.token));
  else if (end) core.notice(end.notice);
}
