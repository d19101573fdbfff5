import * as core from '@actions/core';
import { gitAuthEnvironment, gitHubServerUrl } from '../git/auth.js';
import { GitRepository } from '../git/git.js';
import { createGitHubClient, type GitHubClient } from '../github/client.js';
import { readOnlyTokenReason, type PullRequestContext } from '../github/pull-request.js';
import type { ActionSettings } from '../inputs.js';
import type { CommitGuardDecision } from '../safety/commit-guard.js';
import type { ComparisonResults } from '../compare/compare.js';
import type { Toolchain } from '../tools/toolchain.js';
import type { CommitOutcome } from './commit-outcome.js';
import type { RunFailure } from './errors.js';
import { phase } from './phase.js';

export interface CommitResult {
  outcome: CommitOutcome;
  /** The commit guard's decision on the head render. */
  guard?: CommitGuardDecision;
}

/** What each phase adds; the report is built from whatever the run got to. */
export interface RunResults extends ComparisonResults {
  toolchain?: Toolchain;
  commit?: CommitResult;
  /** The phase that stopped the run, if one did. */
  failure?: RunFailure;
}

/** One run of the action on one pull request: what every phase reads, and what the phases found so far. */
export interface RunContext extends RunResults {
  readonly pr: PullRequestContext;
  readonly settings: ActionSettings;
  /** Why GitHub gave this run a read-only token (a fork's pull request, Dependabot), if it did. */
  readonly readOnlyReason: string | undefined;
  /** The checkout the workflow made; commits are exported from it, never rendered in it. */
  readonly workspace: string;
  readonly git: GitRepository;
  /** Environment for git fetch and push: the token per command, nothing helm or helmfile could read. */
  readonly auth: Record<string, string>;
  /** The run's one GitHub client; without a token, the error that says so (thrown where a call needs the API). */
  readonly github: GitHubClient | Error;
  /** The phase running now; the one named when it fails. */
  phase: string;
}

/** A run context that has got as far as the results K. */
export type Reached<K extends keyof RunResults> = RunContext & Required<Pick<RunResults, K>>;

export function createRunContext(settings: ActionSettings, pr: PullRequestContext): RunContext {
  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  let github: GitHubClient | Error;
  try {
    github = createGitHubClient(settings.token, { log: (message) => core.info(message) });
  } catch (error) {
    github = error as Error;
  }
  return {
    pr,
    settings,
    readOnlyReason: readOnlyTokenReason(pr),
    workspace,
    git: new GitRepository(workspace),
    auth: gitAuthEnvironment(gitHubServerUrl(), settings.token),
    github,
    phase: 'setup',
  };
}

/** The run's GitHub client; throws when the run has no token. */
export function gitHubClient(run: RunContext): GitHubClient {
  if (run.github instanceof Error) throw run.github;
  return run.github;
}

/** The run after the comparison, typed as having every comparison result (compareRevisions sets them all or throws). */
export function reached<C extends RunContext>(
  run: C,
): C & Required<Pick<RunResults, 'renders' | 'validation' | 'ignoredValues' | 'diff' | 'risks'>> {
  if (!run.renders || !run.validation || !run.ignoredValues || !run.diff || !run.risks) throw new Error('the comparison did not finish');
  return run as C & Required<Pick<RunResults, 'renders' | 'validation' | 'ignoredValues' | 'diff' | 'risks'>>;
}

/** Adds a phase's results to the run (the report sees them even if a later phase fails), typed as reached. */
export function record<C extends RunContext, T extends RunResults>(run: C, results: T): C & T {
  return Object.assign(run, results);
}

/** Runs one phase in its log group, named as the failed phase if it throws. */
export function step<T>(run: RunContext, name: string, task: () => Promise<T>): Promise<T> {
  run.phase = name;
  return phase(name, task);
}
