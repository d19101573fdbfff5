import { formatSettingError } from '../settings/setting-error.js';
import { NO_RESOURCE_COUNTS, type ResourceCounts } from '../compare/stages.js';
import type { RenderFailure } from '../render/errors.js';
import type { CommitGuardDecision } from '../safety/commit-guard.js';
import { describeCommitOutcome, type CommitOutcome } from './commit-outcome.js';
import type { RunFailure } from './errors.js';

/** What a run got to, as far as the job's outcome depends on it. */
export interface JobOutcomeInput {
  /** The phase that stopped the run, if one did. */
  failure?: RunFailure;
  /** Environments or releases that failed to render, tagged with their side (the run went on without them). */
  renderFailures: readonly RenderFailure[];
  /** Absent when the run stopped before the commit phase. */
  commit?: { outcome: CommitOutcome; guard?: CommitGuardDecision };
  /** Absent when the run stopped before the diff. */
  counts?: ResourceCounts;
  /** Validation errors the head introduces (absent before validation). */
  validationErrors?: number;
  /** The pull request's head branch, named in messages about the commit. */
  branch: string;
}

/** How the job ends: what fails it, its outputs, and what happened to the commit. */
export interface JobOutcome {
  /** What happened to the commit; `skipped` naming the failed phase when the run never got there. */
  commit: CommitOutcome;
  counts: ResourceCounts;
  /** What fails the job, in order (the first is the commit status's description); GitHub API problems come on top. */
  problems: string[];
  /**
   * Nothing asks for a reader's attention: no problem, no label allowed anything, nothing committed.
   * A quiet run with nothing to report leaves the status out of the report.
   */
  quiet: boolean;
  /** The action's outputs, the report path aside. */
  outputs: { changed: boolean; counts: ResourceCounts; validationErrors: number; commitSha: string };
  /** Said as a notice when the run ends without problems (the branch moved on, nothing pushed). */
  notice?: string;
}

/** The job's outcome from what the run got to: problems, outputs, the notice, and whether it is quiet (pure). */
export function jobOutcome(input: JobOutcomeInput): JobOutcome {
  const { renderFailures } = input;
  const commit: CommitOutcome = input.commit?.outcome ?? {
    status: 'skipped',
    reason: `the run stopped before the commit (${input.failure?.phase ?? 'setup'} failed)`,
  };
  const guard = input.commit?.guard;
  const counts = input.counts ?? NO_RESOURCE_COUNTS;

  const problems: string[] = [];
  if (input.failure) {
    const message = formatSettingError(input.failure.error, 'action');
    problems.push(`${input.failure.phase} failed: ${message}`);
  }
  if (renderFailures.length > 0)
    problems.push(
      `render failed:\n${renderFailures.map((failure) => `${failure.context.side ?? 'render'}: ${failure.message}`).join('\n\n')}`,
    );
  // Render failures block the commit too; they are told once, above.
  const otherBlocks = (guard?.blocks ?? []).filter((block) => block.rule !== 'render-failed');
  if (otherBlocks.length > 0)
    problems.push(`commit blocked:\n${otherBlocks.map((block) => `- ${block.message}; to allow: ${block.fix}`).join('\n')}`);
  if (commit.status === 'push-rejected') problems.push(describeCommitOutcome(commit, input.branch));

  return {
    commit,
    counts,
    problems,
    quiet: problems.length === 0 && (guard?.allowedByLabel.length ?? 0) === 0 && commit.status !== 'committed',
    outputs: {
      changed: counts.added + counts.changed + counts.removed > 0,
      counts,
      validationErrors: input.validationErrors ?? 0,
      commitSha: commit.status === 'committed' ? commit.sha : '',
    },
    ...(commit.status === 'branch-moved' ? { notice: describeCommitOutcome(commit, input.branch) } : {}),
  };
}

/** The commit status for the run's final problems (GitHub API problems included) (pure). */
export function commitStatusOf(
  problems: readonly string[],
  counts: ResourceCounts,
  outcome: CommitOutcome,
): { state: 'success' | 'failure'; description: string } {
  if (problems.length > 0) return { state: 'failure', description: problems[0]! };
  const changes = `${counts.added} added, ${counts.changed} changed, ${counts.removed} removed`;
  switch (outcome.status) {
    case 'committed':
      return { state: 'success', description: `${changes}; manifests committed` };
    case 'up-to-date':
      return { state: 'success', description: `${changes}; manifests up to date` };
    case 'branch-moved':
      return { state: 'success', description: `${changes}; branch ${outcome.change}, nothing pushed` };
    default:
      return { state: 'success', description: changes };
  }
}

/** The commit the status goes on: the pushed commit is the pull request's new head; without a push the rendered head still is (pure). */
export function commitStatusSha(outcome: CommitOutcome, headSha: string): string {
  return outcome.status === 'committed' ? outcome.sha : headSha;
}

/** How the job ends: failed with every problem, else the notice if there is one (pure). */
export function jobEnd(problems: readonly string[], notice: string | undefined): { failed: string } | { notice: string } | undefined {
  if (problems.length > 0) return { failed: problems.join('\n\n') };
  return notice === undefined ? undefined : { notice };
}
