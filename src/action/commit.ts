import * as core from '@actions/core';
import { ManifestStage } from '../git/manifest-stage.js';
import { pushWithLease } from '../git/push.js';
import { explainGitHubError, PERMISSIONS } from '../github/api-errors.js';
import { currentLabels } from '../github/labels.js';
import { ForeignFileError } from '../render/manifest-tree.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import { evaluateCommitGuard, type CommitGuardInput } from '../safety/commit-guard.js';
import { manifestsCommitMessage } from './commit-message.js';
import { ActionableError } from './errors.js';
import { renderFailures } from '../compare/stages.js';
import { gitHubClient, type CommitResult, type Reached, type RunContext } from './run-context.js';

/** Why the run does not commit, if it does not: the `commit` input, or a token that cannot push (pure). */
export function commitSkipReason(commit: boolean, readOnlyReason: string | undefined): string | undefined {
  if (!commit) return 'the commit input is false';
  return readOnlyReason ? `${readOnlyReason}, so this workflow's token cannot push` : undefined;
}

/**
 * The commit phase: the commit guard decides, then the head's rendered manifests are committed
 * and pushed to the pull request's branch (with a lease: a branch that moved is left alone).
 */
export async function commitManifests(run: Reached<'renders' | 'validation' | 'risks' | 'toolchain'>): Promise<CommitResult> {
  const { pr, settings } = run;
  const { head } = run.renders;
  const guardSettings: Omit<CommitGuardInput, 'committed' | 'labels'> = {
    renderFailures: renderFailures(run.renders),
    rendered: head.environments,
    introducedValidationErrors: run.validation.introducedErrors,
    blockOnValidationErrors: settings.blockOnValidationErrors,
    deletionThresholdPercent: settings.deletionThresholdPercent,
    allowDeletionsLabel: settings.allowDeletionsLabel,
    risks: run.risks,
    blockOnRisk: settings.blockOnRisk,
    allowRiskLabel: settings.allowRiskLabel,
  };
  const skipped = commitSkipReason(settings.commit, run.readOnlyReason);
  if (skipped) {
    // Deletions only matter for a commit; failures, validation errors and risks still decide the job's status.
    const guard = evaluateCommitGuard({ ...guardSettings, committed: [], labels: pr.labels });
    return { outcome: { status: 'skipped', reason: skipped }, guard };
  }

  const stage = await ManifestStage.open(run.workspace, pr.headSha, settings.outputDir);
  try {
    const environments = head.environments.map((environment) => environment.environment);
    // An environment the head no longer declares loses its directory, under the deletion guard.
    const removedEnvironments =
      settings.environments.length === 0 && !head.missingHelmfile && head.failures.length === 0
        ? await stage.staleEnvironments(head.declared)
        : [];
    const committed = await stage.readCommitted([...environments, ...removedEnvironments]).catch((error: unknown) => {
      throw new ActionableError(
        `${settings.outputDir}/ on ${pr.headRef} holds a file the action cannot read: ${(error as Error).message}`,
        `Every file render wrote under \`${settings.outputDir}/<environment>/<release>/\` is one rendered resource, replaced ` +
          `on each run; restore it from the base branch (or fix it), then push again.`,
      );
    });
    const labels = await pullRequestLabels(run);
    const rendered = [...head.environments, ...removedEnvironments.map((environment) => ({ environment, releases: [] }))];
    const guard = evaluateCommitGuard({ ...guardSettings, rendered, committed, labels });
    for (const { environment, resources } of guard.deletions)
      core.info(`${environment}: the commit removes ${resources.map((resource) => resource.path).join(', ')}`);
    if (!guard.allowed) {
      for (const block of guard.blocks) core.info(`blocked: ${block.message}; to allow: ${block.fix}`);
      return { outcome: { status: 'blocked' }, guard };
    }
    for (const environment of removedEnvironments)
      core.info(`${environment}: no longer declared in the helmfile; its manifests are removed`);
    await stage
      .write(head.environments satisfies EnvironmentManifests[], { removeEnvironments: removedEnvironments })
      .catch((error: unknown) => {
        if (!(error instanceof ForeignFileError)) throw error;
        throw new ActionableError(
          `${settings.outputDir}/ on ${pr.headRef} holds a file the action did not write: ${error.message}`,
          `Release directories under \`${settings.outputDir}/<environment>/<release>/\` hold only rendered resources (Argo CD ` +
            `applies all of them); move other files out of them, then push again.`,
        );
      });
    const changes = await stage.stage();
    if (changes.length === 0) return { outcome: { status: 'up-to-date' }, guard };
    for (const change of changes) core.info(`${change.status} ${change.path}`);
    const message = manifestsCommitMessage({
      baseSha: pr.baseSha,
      headSha: pr.headSha,
      environments,
      tools: [run.toolchain.helm, run.toolchain.helmfile].map((tool) => ({ name: tool.name, version: tool.version })),
    });
    const sha = await stage.commit(message, settings.committer);
    const pushed = await pushWithLease(run.git, sha, pr.headRef, pr.headSha, { env: run.auth });
    if (pushed.status === 'branch-moved')
      return {
        outcome: { status: 'branch-moved', change: pushed.change, detail: pushed.detail, ...(pushed.now ? { now: pushed.now } : {}) },
        guard,
      };
    if (pushed.status === 'rejected') return { outcome: { status: 'push-rejected', detail: pushed.detail }, guard };
    return { outcome: { status: 'committed', sha, files: changes.length }, guard };
  } finally {
    await stage.remove();
  }
}

/** The labels now (one may have been added since the event); the event's labels when the API cannot say. */
async function pullRequestLabels(run: RunContext): Promise<string[]> {
  const { pr } = run;
  try {
    return await currentLabels(gitHubClient(run), pr.owner, pr.repo, pr.number);
  } catch (error) {
    core.warning(`${explainGitHubError(error, "reading the pull request's labels", PERMISSIONS.labels)}; using those of the event`);
    return pr.labels;
  }
}
