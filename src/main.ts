import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { describeCommitOutcome, type CommitOutcome } from './action/commit-outcome.js';
import { manifestsCommitMessage } from './action/commit-message.js';
import { phase } from './action/phase.js';
import { statusSection } from './action/status-section.js';
import { createGitHubClient, httpStatus, type GitHubClient } from './github/client.js';
import { resolveCommentAuthor } from './github/comment-author.js';
import { currentLabels } from './github/labels.js';
import { pullRequestSkipReason } from './github/pull-request-filter.js';
import { readOnlyTokenReason, readPullRequestEvent, type PullRequestContext } from './github/pull-request.js';
import { stickyCommentMarker, upsertStickyComment } from './github/sticky-comment.js';
import { GitRepository } from './git/git.js';
import { ManifestStage } from './git/manifest-stage.js';
import { pushFastForward } from './git/push.js';
import { ensureCommits } from './git/revisions.js';
import { readSettings, type ActionSettings } from './inputs.js';
import type { EnvironmentManifests, RenderProgress } from './render/index.js';
import { withPersistedSchemaCache } from './action/schema-cache.js';
import { diffManifests, renderRevision, type ManifestDiff, type RevisionRender } from './diff/index.js';
import { buildJobSummary, buildJsonReport, buildMarkdownReport, COMMENT_BUDGET, isNothingToReport, measure, riskCounts, type ReportInput } from './report/index.js';
import { analyzeRisks, type Risk } from './risk/index.js';
import { evaluateCommitGuard, type CommitGuardVerdict } from './safety/commit-guard.js';
import { compareFindings, createSchemaSource, findingAnnotation, summaryLine, validateEnvironments, type FindingsComparison } from './validate/index.js';
import { prepareToolchain, type Toolchain } from './tools/index.js';

/** The action's entry point: reads inputs and the event, then runs every phase; failures end in core.setFailed. */
export async function run(): Promise<void> {
  try {
    await runAction();
  } catch (error) {
    core.setFailed(error instanceof Error ? error.message : String(error));
  }
}

async function runAction(): Promise<void> {
  const settings = readSettings();
  if (settings.token) core.setSecret(settings.token);
  const pr = await readPullRequestEvent();
  const skip = pullRequestSkipReason(pr, { authors: settings.pullRequestAuthors, branchPrefixes: settings.branchPrefixes });
  if (skip) {
    core.info(`skipping pull request #${pr.number}: ${skip}`);
    setOutputs({ changed: false, counts: { added: 0, changed: 0, removed: 0, total: 0 }, validationErrors: 0, reportPath: '', commitSha: '' });
    return;
  }
  if (pr.isFork && pr.eventName === 'pull_request_target') {
    // helmfile templates and charts can run programs (`exec`, plugins); a pull_request_target run
    // holds a write token, so the fork's code must never run in it.
    throw new Error(
      `pull request #${pr.number} comes from the fork ${pr.headRepository || '(deleted)'} and this is a pull_request_target run with a write token: ` +
        'helmfile-hydrate does not render untrusted code there. Trigger the workflow with `on: pull_request` instead',
    );
  }
  const readOnlyReason = readOnlyTokenReason(pr);
  if (readOnlyReason) {
    core.info(
      `pull request #${pr.number}: ${readOnlyReason}, so GitHub gives this workflow a read-only token; ` +
        'helmfile-hydrate renders, validates and writes the job summary, and neither comments nor pushes',
    );
  }

  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const git = new GitRepository(workspace);
  if ((await git.exec(['rev-parse', '--git-dir'])).exitCode !== 0) {
    throw new Error(`${workspace} is not a git repository; check the repository out first with actions/checkout (fetch-depth: 0)`);
  }

  const toolchain = await phase('tools', async () => {
    const tools = await prepareToolchain({ installMethod: settings.toolInstallMethod, log: (message) => core.info(message) });
    core.info(`helm ${tools.helm.version} (${tools.helm.source}: ${tools.helm.path})`);
    core.info(`helmfile ${tools.helmfile.version} (${tools.helmfile.source}: ${tools.helmfile.path})`);
    await ensureCommits(git, [pr.baseSha, pr.headSha], {
      fallbackRefs: [`+refs/pull/${pr.number}/head:refs/remotes/pull/${pr.number}/head`, `+refs/heads/${pr.baseRef}:refs/remotes/origin/${pr.baseRef}`],
      log: (message) => core.info(message),
    });
    return tools;
  });

  const renderSettings = { helmfile: settings.helmfile, environments: settings.environments, clusterScopedKinds: settings.clusterScopedKinds, kubeVersion: settings.kubernetesVersion || undefined };
  const progress: RenderProgress = ({ environment, release, message }) => core.info(`${environment}${release ? `/${release}` : ''}: ${message}`);
  const base = await phase(`render base (${pr.baseSha.slice(0, 12)})`, () => renderRevision(workspace, 'base', pr.baseSha, renderSettings, toolchain, progress));
  const head = await phase(`render head (${pr.headSha.slice(0, 12)})`, () => renderRevision(workspace, 'head', pr.headSha, renderSettings, toolchain, progress));
  for (const failure of [...base.failures, ...head.failures]) core.error(failure.message);

  const validation = await phase('validate', () => validateRenders(base, head, settings));

  const diff = await phase('diff', async () => {
    // An environment that failed on either side is left out: a missing side would read as "everything removed".
    const failed = new Set([...base.failures, ...head.failures].map((failure) => failure.context.environment ?? '*'));
    const comparable = (environments: readonly EnvironmentManifests[]) => (failed.has('*') ? [] : environments.filter((environment) => !failed.has(environment.environment)));
    const result = diffManifests(comparable(base.environments), comparable(head.environments), { contextLines: settings.diffContext, noiseFilter: settings.noiseFilter });
    const counts = resourceCounts(result, head.environments);
    core.info(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed of ${counts.total} rendered resources`);
    return { result, counts, base: comparable(base.environments), head: comparable(head.environments) };
  });
  const counts = diff.counts;

  const risks = await phase('risks', async () => {
    const found = analyzeRisks({ base: diff.base, head: diff.head, sensitive: diff.result.sensitive });
    core.info(found.length > 0 ? riskCounts(found) : 'no risks found');
    for (const risk of found) {
      const text = diff.result.sensitive.redact(`${risk.resource.kind} ${risk.resource.name}${risk.field ? ` ${risk.field}` : ''}: ${risk.message}; to do: ${risk.remedy}`);
      if (risk.severity === 'low') core.info(`[low] ${text}`);
      else core.warning(text, { title: `${risk.severity} risk: ${risk.rule} (${risk.environment}/${risk.release})`, ...(risk.path ? { file: `${settings.outputDir}/${risk.path}` } : {}) });
    }
    return found;
  });

  const { outcome, verdict } = await phase('commit', () => commitManifests(git, workspace, pr, settings, toolchain, base, head, validation.introducedErrors, risks, readOnlyReason));
  core.info(describeCommitOutcome(outcome, pr.headRef));

  const failures = [...base.failures.map((failure) => ({ revision: 'base' as const, message: failure.message })), ...head.failures.map((failure) => ({ revision: 'head' as const, message: failure.message }))];
  const status = statusSection({ branch: pr.headRef, commit: outcome, guard: verdict, failures, allowDeletionsLabel: settings.allowDeletionsLabel, allowRiskLabel: settings.allowRiskLabel });
  const marker = stickyCommentMarker(settings.helmfile);
  const reportInput: ReportInput = { diff: diff.result, findings: validation.findings, risks, base: { ref: pr.baseRef, sha: pr.baseSha }, head: { ref: pr.headRef, sha: pr.headSha } };
  const quiet = failures.length === 0 && (verdict?.blocks.length ?? 0) === 0 && (verdict?.allowedByLabel.length ?? 0) === 0 && outcome.status !== 'committed';
  const report = buildReport(reportInput, marker, quiet && isNothingToReport(diff.result, validation.findings) ? '' : status);

  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'helmfile-hydrate', 'report.md');
  await mkdir(join(reportPath, '..'), { recursive: true });
  await writeFile(reportPath, report.file);
  await writeFile(reportPath.replace(/\.md$/, '.json'), buildJsonReport(reportInput));
  if (process.env.GITHUB_STEP_SUMMARY) await core.summary.addRaw(report.summary, true).write();

  let commentFailure: string | undefined;
  await phase('comment', async () => {
    if (!settings.comment) return core.info('not commenting: the comment input is false');
    if (readOnlyReason) return core.info(`not commenting: ${readOnlyReason}, and the read-only token cannot write comments`);
    try {
      const client = createGitHubClient(settings.token);
      const author = await resolveCommentAuthor(client, settings.commentAuthor);
      core.info(`the sticky comment is the one by ${author.login} (${author.source}) containing ${marker}`);
      const result = await upsertStickyComment(client, { owner: pr.owner, repo: pr.repo, issueNumber: pr.number, marker, login: author.login }, report.comment);
      core.info(`comment ${result.action}: ${result.url}`);
    } catch (error) {
      if (httpStatus(error) === 403) {
        core.warning(`the token may not comment on pull request #${pr.number} (403: ${(error as Error).message}); give the workflow \`permissions: pull-requests: write\``);
      } else {
        commentFailure = `posting the pull request comment failed: ${(error as Error).message}`;
      }
    }
  });

  setOutputs({
    changed: counts.added + counts.changed + counts.removed > 0,
    counts,
    validationErrors: validation.introducedErrors,
    reportPath,
    commitSha: outcome.status === 'committed' ? outcome.sha : '',
  });

  const problems: string[] = [];
  if (failures.length > 0) problems.push(`render failed:\n${failures.map((failure) => `${failure.revision}: ${failure.message}`).join('\n\n')}`);
  const otherBlocks = (verdict?.blocks ?? []).filter((block) => block.rule !== 'render-failed');
  if (otherBlocks.length > 0) problems.push(`commit blocked:\n${otherBlocks.map((block) => `- ${block.message}; to allow: ${block.howToAllow}`).join('\n')}`);
  if (outcome.status === 'push-rejected') problems.push(describeCommitOutcome(outcome, pr.headRef));
  if (commentFailure) problems.push(commentFailure);
  if (problems.length > 0) core.setFailed(problems.join('\n\n'));
  else if (outcome.status === 'branch-moved') core.notice(describeCommitOutcome(outcome, pr.headRef));
}

interface ValidationResult {
  introducedErrors: number;
  findings?: FindingsComparison;
}

/**
 * Validates both renders against the Kubernetes schemas and the CRDs in the render; only what
 * the pull request introduces counts (and is annotated), errors already on the base never block.
 */
async function validateRenders(base: RevisionRender, head: RevisionRender, settings: ActionSettings): Promise<ValidationResult> {
  if (head.environments.length === 0) {
    core.info('validation skipped: nothing rendered on head');
    return { introducedErrors: 0 };
  }
  const schemas = createSchemaSource({ kubernetesVersion: settings.kubernetesVersion || undefined, schemaBaseUrl: settings.kubernetesSchemas || undefined });
  const options = { schemas, skipKinds: settings.skipKinds };
  const [headReport, baseReport] = await withPersistedSchemaCache(schemas, async () => [
    await validateEnvironments(head.environments, options),
    base.environments.length > 0 ? await validateEnvironments(base.environments, options) : undefined,
  ] as const);
  core.info(`head: ${summaryLine(headReport)}`);
  const findings = compareFindings(baseReport?.findings ?? [], headReport.findings);
  for (const finding of findings.introduced) {
    const annotation = findingAnnotation(finding, settings.outputDir);
    core.error(annotation.message, annotation.properties);
  }
  core.info(`${findings.introduced.length} introduced, ${findings.preexisting.length} already on the base`);
  return { introducedErrors: findings.introduced.length, findings };
}

async function commitManifests(
  git: GitRepository,
  workspace: string,
  pr: PullRequestContext,
  settings: ActionSettings,
  toolchain: Toolchain,
  base: RevisionRender,
  head: RevisionRender,
  introducedErrors: number,
  risks: readonly Risk[],
  readOnlyReason: string | undefined,
): Promise<{ outcome: CommitOutcome; verdict?: CommitGuardVerdict }> {
  const renderFailures = [...base.failures, ...head.failures].map((failure) => ({
    revision: base.failures.includes(failure) ? ('base' as const) : ('head' as const),
    environment: failure.context.environment,
    release: failure.context.release,
    message: failure.message,
  }));
  const guardSettings = {
    renderFailures,
    rendered: head.environments,
    introducedValidationErrors: introducedErrors,
    blockOnValidationErrors: settings.blockOnValidationErrors,
    deletionThresholdPercent: settings.deletionThresholdPercent,
    allowDeletionsLabel: settings.allowDeletionsLabel,
    risks,
    blockOnRisk: settings.blockOnRisk,
    allowRiskLabel: settings.allowRiskLabel,
  };
  const skipped = !settings.commit ? 'the commit input is false' : readOnlyReason ? `${readOnlyReason}, so this workflow's token cannot push` : undefined;
  if (skipped) {
    // Deletions only matter for a commit; failures, validation errors and risks still decide the job's status.
    const verdict = evaluateCommitGuard({ ...guardSettings, committed: [], labels: pr.labels });
    return { outcome: { status: 'skipped', reason: skipped }, verdict };
  }

  const stage = await ManifestStage.open(workspace, pr.headSha, settings.outputDir);
  try {
    const environments = head.environments.map((environment) => environment.environment);
    const committed = await stage.readCommitted(environments);
    const labels = await pullRequestLabels(settings, pr);
    const verdict = evaluateCommitGuard({ ...guardSettings, committed, labels });
    for (const { environment, resources } of verdict.deletions) core.info(`${environment}: the commit removes ${resources.map((resource) => resource.path).join(', ')}`);
    if (!verdict.allowed) {
      for (const block of verdict.blocks) core.info(`blocked: ${block.message}; to allow: ${block.howToAllow}`);
      return { outcome: { status: 'blocked' }, verdict };
    }
    await stage.write(head.environments satisfies EnvironmentManifests[]);
    const changes = await stage.stage();
    if (changes.length === 0) return { outcome: { status: 'up-to-date' }, verdict };
    for (const change of changes) core.info(`${change.status} ${change.path}`);
    const message = manifestsCommitMessage({ baseSha: pr.baseSha, headSha: pr.headSha, environments, tools: [toolchain.helm, toolchain.helmfile].map((tool) => ({ name: tool.name, version: tool.version })) });
    const sha = await stage.commit(message, settings.committer);
    const pushed = await pushFastForward(git, sha, pr.headRef);
    if (pushed.status === 'branch-moved') return { outcome: { status: 'branch-moved', detail: pushed.detail }, verdict };
    if (pushed.status === 'rejected') return { outcome: { status: 'push-rejected', detail: pushed.detail }, verdict };
    return { outcome: { status: 'committed', sha, files: changes.length }, verdict };
  } finally {
    await stage.remove();
  }
}

/** The labels now (one may have been added since the event); the event's labels when the API cannot say. */
async function pullRequestLabels(settings: ActionSettings, pr: PullRequestContext): Promise<string[]> {
  let client: GitHubClient;
  try {
    client = createGitHubClient(settings.token);
    return await currentLabels(client, pr.owner, pr.repo, pr.number);
  } catch (error) {
    core.warning(`could not read the pull request's labels (${(error as Error).message}); using those of the event`);
    return pr.labels;
  }
}

interface Report {
  comment: string;
  summary: string;
  file: string;
}

/**
 * The diff report of src/report with this run's status (failures, blocks, commit) after it. The
 * comment's diff budget is what GitHub's limit leaves after the status, so the status is never cut.
 */
function buildReport(input: ReportInput, marker: string, status: string): Report {
  const tail = status ? `\n${status}\n` : '';
  const commentBudget = { ...COMMENT_BUDGET, limit: COMMENT_BUDGET.limit - measure(tail, COMMENT_BUDGET) };
  const comment = `${buildMarkdownReport(input, { budget: commentBudget, marker }).body}${tail}`;
  const summary = `${buildJobSummary(input).body}${tail}`;
  const file = `${buildMarkdownReport(input).body}${tail}`;
  return { comment, summary, file };
}

interface ResourceCounts {
  added: number;
  changed: number;
  removed: number;
  /** Resources rendered on head. */
  total: number;
}

function resourceCounts(diff: ManifestDiff, head: readonly EnvironmentManifests[]): ResourceCounts {
  const counts = { added: 0, changed: 0, removed: 0, total: 0 };
  for (const environment of diff.environments) {
    for (const release of environment.releases) {
      counts.added += release.counts.added;
      counts.removed += release.counts.removed;
      counts.changed += release.counts.changed + release.counts.noiseOnly;
    }
  }
  counts.total = head.reduce((sum, environment) => sum + environment.releases.reduce((n, release) => n + release.resources.length, 0), 0);
  return counts;
}

function setOutputs(outputs: { changed: boolean; counts: ResourceCounts; validationErrors: number; reportPath: string; commitSha: string }): void {
  core.setOutput('changed', String(outputs.changed));
  core.setOutput('resources', String(outputs.counts.total));
  core.setOutput('resources-added', String(outputs.counts.added));
  core.setOutput('resources-changed', String(outputs.counts.changed));
  core.setOutput('resources-removed', String(outputs.counts.removed));
  core.setOutput('validation-errors', String(outputs.validationErrors));
  core.setOutput('report-path', outputs.reportPath);
  core.setOutput('commit-sha', outputs.commitSha);
}
