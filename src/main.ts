import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as core from '@actions/core';
import { describeCommitOutcome, type CommitOutcome } from './action/commit-outcome.js';
import { manifestsCommitMessage } from './action/commit-message.js';
import { phase } from './action/phase.js';
import { reportArtifactName, shareFullReport } from './action/report-artifact.js';
import { statusSection } from './action/status-section.js';
import { ActionableError, failureSection, type RunFailure } from './action/failure-section.js';
import { commitStatusVerdict, jobEnd, NO_RESOURCE_COUNTS, resourceCounts, runVerdict, type ResourceCounts } from './action/verdict.js';
import { explainGitHubError, PERMISSIONS } from './github/api-errors.js';
import { createGitHubClient, type GitHubClient } from './github/client.js';
import { setCommitStatus, workflowRunUrl } from './github/commit-status.js';
import { resolveCommentAuthor } from './github/comment-author.js';
import { currentLabels } from './github/labels.js';
import { pullRequestSkipReason } from './github/pull-request-filter.js';
import { readOnlyTokenReason, readPullRequestEvent, type PullRequestContext } from './github/pull-request.js';
import { stickyCommentMarker, upsertStickyComment } from './github/sticky-comment.js';
import { GitRepository } from './git/git.js';
import { ManifestStage } from './git/manifest-stage.js';
import { gitAuthEnvironment, gitHubServerUrl } from './git/auth.js';
import { withholdPersistedCredentials } from './git/persisted-credentials.js';
import { pushWithLease } from './git/push.js';
import { ensureCommits } from './git/revisions.js';
import { readSettings, type ActionSettings } from './inputs.js';
import { checkIgnoredValues } from './action/values-check.js';
import type { IgnoredValue } from './values/index.js';
import { ForeignFileError, staleEnvironments, type EnvironmentManifests, type RenderProgress } from './render/index.js';
import { withPersistedSchemaCache } from './action/schema-cache.js';
import { withPersistedChartCache } from './action/chart-cache.js';
import { diffManifests, renderRevision, type ManifestDiff, type RevisionRender } from './diff/index.js';
import {
  buildJobSummary,
  buildJsonReport,
  buildMarkdownReport,
  COMMENT_BUDGET,
  isNothingToReport,
  measure,
  riskCounts,
  type ReportInput,
} from './report/index.js';
import { generatedValuesLines } from './report/generated-values.js';
import { analyzeRisks, type Risk } from './risk/index.js';
import { evaluateCommitGuard, type CommitGuardVerdict } from './safety/commit-guard.js';
import {
  compareFindings,
  createSchemaSource,
  findingAnnotation,
  summaryLine,
  validateEnvironments,
  type FindingsComparison,
} from './validate/index.js';
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
    setOutputs({ changed: false, counts: NO_RESOURCE_COUNTS, validationErrors: 0, reportPath: '', commitSha: '' });
    return;
  }
  // From here on every failure is reported: comment (or job summary), commit status, failed job.
  const run: RunState = { pr, settings, readOnlyReason: readOnlyTokenReason(pr), phase: 'setup' };
  try {
    await hydratePullRequest(run);
  } catch (error) {
    run.failure = { phase: run.phase, error };
  }
  await reportRun(run);
}

/** What a run found so far: each phase adds its part, and the report is built from whatever is there. */
interface RunState {
  pr: PullRequestContext;
  settings: ActionSettings;
  readOnlyReason: string | undefined;
  /** The phase running now; the one named when it fails. */
  phase: string;
  base?: RevisionRender;
  head?: RevisionRender;
  validation?: ValidationResult;
  /** Keys the head's values set that their charts ignore (informational). */
  ignoredValues?: IgnoredValue[];
  /** The diff, and the environments it compared on each side (the risk analysis compares the same). */
  diff?: { result: ManifestDiff; counts: ResourceCounts; base: EnvironmentManifests[]; head: EnvironmentManifests[] };
  risks?: Risk[];
  commit?: { outcome: CommitOutcome; verdict?: CommitGuardVerdict };
  failure?: RunFailure;
}

/** Tools, renders, validation, diff and commit; throws when a phase cannot go on (reportRun reports it). */
async function hydratePullRequest(run: RunState): Promise<void> {
  const { pr, settings, readOnlyReason } = run;
  const step = <T>(name: string, task: () => Promise<T>): Promise<T> => {
    run.phase = name;
    return phase(name, task);
  };
  if (pr.isFork && pr.eventName === 'pull_request_target') {
    // helmfile templates and charts can run programs (`exec`, plugins); a pull_request_target run
    // holds a write token, so the fork's code must never run in it.
    throw new ActionableError(
      `pull request #${pr.number} comes from the fork ${pr.headRepository || '(deleted)'} and this is a pull_request_target run with a write token: ` +
        'helmfile-hydrate does not render untrusted code there',
      'Trigger the workflow with `on: pull_request` instead.',
    );
  }
  if (readOnlyReason) {
    core.info(
      `pull request #${pr.number}: ${readOnlyReason}, so GitHub gives this workflow a read-only token; ` +
        'helmfile-hydrate renders, validates and writes the job summary, and neither comments nor pushes',
    );
  }

  const workspace = process.env.GITHUB_WORKSPACE || process.cwd();
  const git = new GitRepository(workspace);
  if ((await git.exec(['rev-parse', '--git-dir'])).exitCode !== 0) {
    throw new ActionableError(
      `${workspace} is not a git repository`,
      'Check the repository out first with actions/checkout (fetch-depth: 0).',
    );
  }
  const withheld = await withholdPersistedCredentials(git);
  if (withheld.descriptions.length > 0) {
    core.notice(
      `actions/checkout stored the token in the workspace's git config (${withheld.descriptions.join(', ')}); helm and helmfile could read it, ` +
        'so it is taken out while this action runs and put back at the end. Set `persist-credentials: false` on actions/checkout: the action passes the token to git per command',
    );
  }
  try {
    // fetch and push get the token per command; nothing helm or helmfile could read holds it.
    const auth = gitAuthEnvironment(gitHubServerUrl(), settings.token);
    await runPhases(run, git, workspace, auth, step);
  } finally {
    await withheld
      .restore()
      .catch((error: unknown) => core.warning(`could not put back the credentials actions/checkout stored: ${(error as Error).message}`));
  }
}

async function runPhases(
  run: RunState,
  git: GitRepository,
  workspace: string,
  auth: Record<string, string>,
  step: <T>(name: string, task: () => Promise<T>) => Promise<T>,
): Promise<void> {
  const { pr, settings, readOnlyReason } = run;
  const toolchain = await step('tools', async () => {
    const tools = await prepareToolchain({ installMethod: settings.toolInstallMethod, log: (message) => core.info(message) });
    core.info(`helm ${tools.helm.version} (${tools.helm.source}: ${tools.helm.path})`);
    core.info(`helmfile ${tools.helmfile.version} (${tools.helmfile.source}: ${tools.helmfile.path})`);
    await ensureCommits(git, [pr.baseSha, pr.headSha], {
      fallbackRefs: [
        `+refs/pull/${pr.number}/head:refs/remotes/pull/${pr.number}/head`,
        `+refs/heads/${pr.baseRef}:refs/remotes/origin/${pr.baseRef}`,
      ],
      log: (message) => core.info(message),
      env: auth,
    });
    return tools;
  });

  const renderSettings = {
    helmfile: settings.helmfile,
    environments: settings.environments,
    clusterScopedKinds: settings.clusterScopedKinds,
    kubeVersion: settings.kubernetesVersion || undefined,
    committedManifests: settings.outputDir,
    chartMirror: settings.chartMirror,
  };
  const progress: RenderProgress = ({ environment, release, message }) =>
    core.info(`${environment}${release ? `/${release}` : ''}: ${message}`);
  // Both sides at once, as the CLI does: each release whose fingerprint matches is read from its
  // side's committed manifests, the others rendered.
  const [base, head] = await step(`render base (${pr.baseSha.slice(0, 12)}) and head (${pr.headSha.slice(0, 12)})`, () =>
    withPersistedChartCache(toolchain.env, () =>
      Promise.all([
        renderRevision(workspace, 'base', pr.baseSha, renderSettings, toolchain, progress),
        renderRevision(workspace, 'head', pr.headSha, renderSettings, toolchain, progress),
      ]),
    ),
  );
  run.base = base;
  run.head = head;
  for (const failure of [...base.failures, ...head.failures]) core.error(failure.message);

  const validation = (run.validation = await step('validate', () => validateRenders(base, head, settings)));
  run.ignoredValues = await step('values', () => checkIgnoredValues(workspace, pr.headSha, renderSettings, toolchain));

  run.diff = await step('diff', async () => {
    // An environment that failed on either side is left out: a missing side would read as "everything removed".
    const failed = new Set([...base.failures, ...head.failures].map((failure) => failure.context.environment ?? '*'));
    const comparable = (environments: readonly EnvironmentManifests[]) =>
      failed.has('*') ? [] : environments.filter((environment) => !failed.has(environment.environment));
    const result = diffManifests(comparable(base.environments), comparable(head.environments), {
      contextLines: settings.diffContext,
      noiseFilter: settings.noiseFilter,
    });
    const counts = resourceCounts(result, head.environments);
    core.info(`${counts.added} added, ${counts.changed} changed, ${counts.removed} removed of ${counts.total} rendered resources`);
    return { result, counts, base: comparable(base.environments), head: comparable(head.environments) };
  });

  const risks = await step('risks', async () => {
    const diff = run.diff!;
    const generatedValues = diff.head.flatMap((environment) => environment.generated ?? []);
    const found = analyzeRisks({ base: diff.base, head: diff.head, sensitive: diff.result.sensitive, generatedValues });
    core.info(found.length > 0 ? riskCounts(found) : 'no risks found');
    for (const risk of found) {
      const text = diff.result.sensitive.redact(
        `${risk.resource.kind} ${risk.resource.name}${risk.field ? ` ${risk.field}` : ''}: ${risk.message}; to do: ${risk.remedy}`,
      );
      if (risk.severity === 'low') core.info(`[low] ${text}`);
      else
        core.warning(text, {
          title: `${risk.severity} risk: ${risk.rule} (${risk.environment}/${risk.release})`,
          ...(risk.path ? { file: `${settings.outputDir}/${risk.path}` } : {}),
        });
    }
    return found;
  });
  run.risks = risks;

  run.commit = await step('commit', () =>
    commitManifests(git, workspace, pr, settings, toolchain, base, head, validation.introducedErrors, risks, readOnlyReason, auth),
  );
  core.info(describeCommitOutcome(run.commit.outcome, pr.headRef));
}

/**
 * Reports whatever the run got to: the comment (or only the job summary, for read-only tokens),
 * the commit status, the report files, the outputs, and the job's result. Runs after a failure too.
 */
async function reportRun(run: RunState): Promise<void> {
  const { pr, settings, readOnlyReason } = run;
  const verdict = runVerdict({
    failure: run.failure,
    renderFailures: { base: run.base?.failures ?? [], head: run.head?.failures ?? [] },
    commit: run.commit,
    counts: run.diff?.counts,
    validationErrors: run.validation?.introducedErrors,
    branch: pr.headRef,
  });
  const { renderFailures, outcome, counts, problems } = verdict;
  const marker = stickyCommentMarker(settings.helmfile);

  const status = [
    ...(run.failure ? [failureSection(run.failure)] : []),
    statusSection({
      branch: pr.headRef,
      commit: outcome,
      guard: run.commit?.verdict,
      failures: renderFailures,
      allowDeletionsLabel: settings.allowDeletionsLabel,
      allowRiskLabel: settings.allowRiskLabel,
    }),
  ].join('\n');
  const reportInput: ReportInput | undefined = run.diff
    ? {
        diff: run.diff.result,
        findings: run.validation?.findings,
        risks: run.risks,
        ignoredValues: run.ignoredValues,
        base: { ref: pr.baseRef, sha: pr.baseSha },
        head: { ref: pr.headRef, sha: pr.headSha },
      }
    : undefined;
  const reportStatus =
    reportInput && verdict.quiet && isNothingToReport(reportInput.diff, reportInput.findings)
      ? ''
      : [generatedValuesLines(run.head?.environments.flatMap((environment) => environment.generated ?? []) ?? []).join('\n'), status]
          .filter(Boolean)
          .join('\n');
  let report = scrubReport(reportInput ? buildReport(reportInput, marker, reportStatus) : failureReport(marker, status), settings.token);

  const reportPath = join(process.env.RUNNER_TEMP || tmpdir(), 'helmfile-hydrate', 'report.md');
  await mkdir(join(reportPath, '..'), { recursive: true });
  await writeFile(reportPath, report.file);
  if (reportInput) await writeFile(reportPath.replace(/\.md$/, '.json'), buildJsonReport(reportInput));
  // A cut comment links the full report, one click away.
  if (reportInput && report.commentOmitted > 0) {
    const hint = await shareFullReport(reportArtifactName(settings.helmfile), [reportPath, reportPath.replace(/\.md$/, '.json')], core);
    report = scrubReport(buildReport(reportInput, marker, reportStatus, hint), settings.token);
  }

  // GitHub API failures are told in the job summary too: the comment may be what failed.
  const apiProblems: string[] = [];
  const client = settings.token ? createGitHubClient(settings.token, { log: (message) => core.info(message) }) : undefined;
  await phase('comment', async () => {
    if (!settings.comment) return core.info('not commenting: the comment input is false');
    if (readOnlyReason) return core.info(`not commenting: ${readOnlyReason}, and the read-only token cannot write comments`);
    try {
      if (!client) throw new Error('no GitHub token: set the `token` input (it defaults to github.token)');
      const author = await resolveCommentAuthor(client, settings.commentAuthor);
      core.info(`the sticky comment is the one by ${author.login} (${author.source}) containing ${marker}`);
      const result = await upsertStickyComment(
        client,
        { owner: pr.owner, repo: pr.repo, issueNumber: pr.number, marker, login: author.login },
        report.comment,
      );
      core.info(`comment ${result.action}: ${result.url}`);
    } catch (error) {
      apiProblems.push(explainGitHubError(error, `posting the comment on pull request #${pr.number}`, PERMISSIONS.comment));
    }
  });
  problems.push(...apiProblems);

  if (settings.commitStatus && !readOnlyReason && client) {
    // The pushed commit is the pull request's new head; without a push the rendered head still is.
    const sha = outcome.status === 'committed' ? outcome.sha : pr.headSha;
    const { state, description } = commitStatusVerdict(problems, counts, outcome);
    try {
      await setCommitStatus(client, {
        owner: pr.owner,
        repo: pr.repo,
        sha,
        state,
        context: settings.statusContext,
        description,
        targetUrl: workflowRunUrl(),
      });
      core.info(`commit status ${settings.statusContext}: ${state} on ${sha.slice(0, 12)}`);
    } catch (error) {
      const problem = explainGitHubError(
        error,
        `setting the commit status ${settings.statusContext} on ${sha.slice(0, 12)}`,
        PERMISSIONS.commitStatus,
      );
      apiProblems.push(problem);
      problems.push(problem);
    }
  }

  if (process.env.GITHUB_STEP_SUMMARY) {
    const notes = apiProblems.length > 0 ? `\n### :x: GitHub API\n\n${apiProblems.map((problem) => `- ${problem}`).join('\n')}\n` : '';
    await core.summary.addRaw(scrub(`${report.summary}${notes}`, settings.token), true).write();
  }

  setOutputs({ ...verdict.outputs, reportPath });

  const end = jobEnd(problems, verdict.notice);
  if (end && 'failed' in end) core.setFailed(scrub(end.failed, settings.token));
  else if (end) core.notice(end.notice);
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
  const schemas = createSchemaSource({
    kubernetesVersion: settings.kubernetesVersion || undefined,
    schemaBaseUrl: settings.kubernetesSchemas || undefined,
  });
  const options = { schemas, skipKinds: settings.skipKinds };
  const [headReport, baseReport] = await withPersistedSchemaCache(
    schemas,
    async () =>
      [
        await validateEnvironments(head.environments, options),
        base.environments.length > 0 ? await validateEnvironments(base.environments, options) : undefined,
      ] as const,
  );
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
  auth: Record<string, string>,
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
  const skipped = !settings.commit
    ? 'the commit input is false'
    : readOnlyReason
      ? `${readOnlyReason}, so this workflow's token cannot push`
      : undefined;
  if (skipped) {
    // Deletions only matter for a commit; failures, validation errors and risks still decide the job's status.
    const verdict = evaluateCommitGuard({ ...guardSettings, committed: [], labels: pr.labels });
    return { outcome: { status: 'skipped', reason: skipped }, verdict };
  }

  const stage = await ManifestStage.open(workspace, pr.headSha, settings.outputDir);
  try {
    const environments = head.environments.map((environment) => environment.environment);
    // An environment the head no longer declares loses its directory, under the deletion guard.
    const removedEnvironments =
      settings.environments.length === 0 && !head.missingHelmfile && head.failures.length === 0
        ? await staleEnvironments(stage.outputPath, head.declared)
        : [];
    const committed = await stage.readCommitted([...environments, ...removedEnvironments]).catch((error: unknown) => {
      throw new ActionableError(
        `${settings.outputDir}/ on ${pr.headRef} holds a file the action cannot read: ${(error as Error).message}`,
        `Every file render wrote under \`${settings.outputDir}/<environment>/<release>/\` is one rendered resource, replaced on each run; restore it from the base branch (or fix it), then push again.`,
      );
    });
    const labels = await pullRequestLabels(settings, pr);
    const rendered = [...head.environments, ...removedEnvironments.map((environment) => ({ environment, releases: [] }))];
    const verdict = evaluateCommitGuard({ ...guardSettings, rendered, committed, labels });
    for (const { environment, resources } of verdict.deletions)
      core.info(`${environment}: the commit removes ${resources.map((resource) => resource.path).join(', ')}`);
    if (!verdict.allowed) {
      for (const block of verdict.blocks) core.info(`blocked: ${block.message}; to allow: ${block.howToAllow}`);
      return { outcome: { status: 'blocked' }, verdict };
    }
    for (const environment of removedEnvironments)
      core.info(`${environment}: no longer declared in the helmfile; its manifests are removed`);
    await stage
      .write(head.environments satisfies EnvironmentManifests[], { removeEnvironments: removedEnvironments })
      .catch((error: unknown) => {
        if (!(error instanceof ForeignFileError)) throw error;
        throw new ActionableError(
          `${settings.outputDir}/ on ${pr.headRef} holds a file the action did not write: ${error.message}`,
          `Release directories under \`${settings.outputDir}/<environment>/<release>/\` hold only rendered resources (Argo CD applies all of them); move other files out of them, then push again.`,
        );
      });
    const changes = await stage.stage();
    if (changes.length === 0) return { outcome: { status: 'up-to-date' }, verdict };
    for (const change of changes) core.info(`${change.status} ${change.path}`);
    const message = manifestsCommitMessage({
      baseSha: pr.baseSha,
      headSha: pr.headSha,
      environments,
      tools: [toolchain.helm, toolchain.helmfile].map((tool) => ({ name: tool.name, version: tool.version })),
    });
    const sha = await stage.commit(message, settings.committer);
    const pushed = await pushWithLease(git, sha, pr.headRef, pr.headSha, { env: auth });
    if (pushed.status === 'branch-moved')
      return {
        outcome: { status: 'branch-moved', change: pushed.change, detail: pushed.detail, ...(pushed.now ? { now: pushed.now } : {}) },
        verdict,
      };
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
    client = createGitHubClient(settings.token, { log: (message) => core.info(message) });
    return await currentLabels(client, pr.owner, pr.repo, pr.number);
  } catch (error) {
    core.warning(`${explainGitHubError(error, "reading the pull request's labels", PERMISSIONS.labels)}; using those of the event`);
    return pr.labels;
  }
}

interface Report {
  comment: string;
  /** Resource diffs the comment left out for its size limit. */
  commentOmitted: number;
  summary: string;
  file: string;
}

/**
 * The diff report of src/report with this run's status (failures, blocks, commit) after it. The
 * comment's diff budget is what GitHub's limit leaves after the status, so the status is never cut.
 */
function buildReport(input: ReportInput, marker: string, status: string, omittedHint?: string): Report {
  const tail = status ? `\n${status}\n` : '';
  const commentBudget = { ...COMMENT_BUDGET, limit: COMMENT_BUDGET.limit - measure(tail, COMMENT_BUDGET) };
  const built = buildMarkdownReport(input, { budget: commentBudget, marker, omittedHint });
  const comment = `${built.body}${tail}`;
  const summary = `${buildJobSummary(input).body}${tail}`;
  const file = `${buildMarkdownReport(input).body}${tail}`;
  return { comment, commentOmitted: built.omittedResources, summary, file };
}

/** The report of a run that stopped before the diff: the title, then what failed and what to do. */
function failureReport(marker: string, status: string): Report {
  const body = `### helmfile-hydrate: rendered manifests\n\n${status}\n`;
  return { comment: `${marker}\n${body}`, commentOmitted: 0, summary: body, file: body };
}

/** Takes the token, and the header git would send it in, out of a text (error messages quote commands and output). */
function scrub(text: string, token: string): string {
  if (!token) return text;
  const header = Buffer.from(`x-access-token:${token}`, 'utf8').toString('base64');
  return text.split(token).join('***').split(header).join('***');
}

function scrubReport(report: Report, token: string): Report {
  return { ...report, comment: scrub(report.comment, token), summary: scrub(report.summary, token), file: scrub(report.file, token) };
}

function setOutputs(outputs: {
  changed: boolean;
  counts: ResourceCounts;
  validationErrors: number;
  reportPath: string;
  commitSha: string;
}): void {
  core.setOutput('changed', String(outputs.changed));
  core.setOutput('resources', String(outputs.counts.total));
  core.setOutput('resources-added', String(outputs.counts.added));
  core.setOutput('resources-changed', String(outputs.counts.changed));
  core.setOutput('resources-removed', String(outputs.counts.removed));
  core.setOutput('validation-errors', String(outputs.validationErrors));
  core.setOutput('report-path', outputs.reportPath);
  core.setOutput('commit-sha', outputs.commitSha);
}
