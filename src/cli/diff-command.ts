import { writeFile } from 'node:fs/promises';
import { flagsUsage, parseFlags } from './flags.js';
import { startRunClusters } from '../cluster/run-clusters.js';
import { environmentArchitectures, environmentCluster } from '../cluster/node-declaration.js';
import { apiServerSyncCheck } from '../apiserver/sync-check-stage.js';
import { DEFAULT_KUBERNETES_VERSION } from '../validate/schemas/kubernetes-version.js';
import { renderOptions } from './render-options.js';
import { commitPins } from './repository-pins-option.js';
import { compareRevisions, type Comparison, type SideCheck } from '../compare/compare.js';
import { cliImageCheck } from './image-check-option.js';
import { compareSettingsOf, type CompareSettings } from '../compare/settings.js';
import { comparisonMarkdown, comparisonReportInput, comparisonStatus, headGeneratedValues } from '../compare/report.js';
import { renderFailures } from '../compare/stages.js';
import { repositoryRelativePath, resolveRevisions, type Revision } from '../compare/render-sides.js';
import type { Side } from '../side.js';
import { GitRepository } from '../git/git.js';
import { repositoryRoot, uncommittedPaths } from '../git/working-tree.js';
import { buildJsonReport } from '../report/json.js';
import { buildTextReport } from '../report/text.js';
import { COMMENT_BUDGET, JOB_SUMMARY_BUDGET, type ReportBudget } from '../report/limits.js';
import { isNothingToReport } from '../report/summary.js';
import { blockingRisks, type RiskThreshold } from '../risk/gate.js';
import type { SettingValues } from '../settings/table.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

export const DIFF_USAGE = `Usage: helmfile-hydrate diff --base <git-ref> [options]

Renders the base and head commits (each exported to a temporary directory, with the real helmfile)
and prints what changes in the rendered manifests: the report the pull request comment shows
(validation findings the change introduces, values the charts ignore, the risks of the change:
what would make the Argo CD sync fail or the workloads break), from the same pipeline.
Run it inside the GitOps repository. Secrets are masked before anything is diffed.

Options:
${flagsUsage('diff')}

Exit codes: 0 done (with --exit-code: no changes), 1 a render failed (or changes with
--exit-code, or a risk at --block-on-risk), 2 usage error.`;

const BUDGETS: Record<SettingValues['budget'], ReportBudget | undefined> = {
  comment: COMMENT_BUDGET,
  summary: JOB_SUMMARY_BUDGET,
  none: undefined,
};

export async function diffCommand(argv: string[], terminal: Terminal, cwd: string = process.cwd()): Promise<ExitCodeValue> {
  const { settings: flags, help } = parseFlags(argv, 'diff');
  if (help) {
    terminal.out(DIFF_USAGE);
    return ExitCode.Success;
  }
  if (!flags.base) throw new UsageError('--base is required (e.g. --base origin/main)');
  const root = await repositoryRoot(cwd).catch(() => {
    throw new UsageError(`${cwd} is not inside a git repository; run helmfile-hydrate diff from the GitOps repository`);
  });
  const revisions = await resolveRevisions(root, flags.base, flags.head);
  if (flags.head === 'HEAD') {
    const dirty = await uncommittedPaths(new GitRepository(root));
    if (dirty.length > 0)
      terminal.err(
        `note: ${dirty.length} file(s) have uncommitted changes; the diff compares commits (head = HEAD), so commit them to include them`,
      );
  }
  // The head renders with the tools its own pin file names; the base side is what the base holds.
  // The head's pin file is read once: its tools render the head, its nodes are the rehearsal's.
  let headPins: ReturnType<typeof commitPins> | undefined;
  const pinsOfHead = () => (headPins ??= commitPins(root, revisions.head.sha));
  const { toolchain, progress } = await renderOptions(flags, terminal, pinsOfHead);
  const settings: CompareSettings = {
    ...compareSettingsOf(flags),
    helmfile: repositoryRelativePath(root, cwd, flags.helmfile, 'helmfile'),
    schemaCache: flags.schemaCache || undefined,
    valuesCheck: flags.valuesCheck,
  };
  const started = Date.now();
  const log = (message: string) => terminal.err(message);
  // The first server starts now: it is ready by the time the renders are.
  const apiServer = flags.apiServer
    ? startRunClusters(
        {
          kubernetesVersion: settings.kubeVersion ?? DEFAULT_KUBERNETES_VERSION,
          explicitDirectory: flags.apiServerBinaries || undefined,
          log: (message) => terminal.err(`local cluster: ${message}`),
        },
        flags.rehearsal ? 'scheduling' : 'api-server',
      )
    : undefined;
  let comparison: Comparison;
  try {
    // The nodes the head declares are the nodes it will run on: the rehearsal's, and the architectures the image check asks for.
    const declared = (await pinsOfHead())?.environments ?? new Map();
    const clusterOf = (environment: string) => environmentCluster(declared, environment);
    const checks: SideCheck[] = apiServer
      ? [
          apiServerSyncCheck(apiServer.pool, {
            version: apiServer.version,
            skipKinds: settings.skipKinds,
            ...(apiServer.level === 'scheduling' ? { rehearsal: clusterOf } : {}),
          }),
        ]
      : [];
    if (flags.imageCheck) checks.push(cliImageCheck(terminal, (environment) => environmentArchitectures(clusterOf(environment))));
    comparison = await compareRevisions({ repository: root, revisions, settings, toolchain }, { log, progress, checks });
  } finally {
    await apiServer?.pool.close();
  }
  const report = formatComparison(comparison, revisions, { format: flags.reportFormat, budget: BUDGETS[flags.budget] });
  if (flags.reportFile) {
    await writeFile(flags.reportFile, report);
    terminal.err(`wrote the ${flags.reportFormat} report to ${flags.reportFile}`);
  } else {
    terminal.out(report);
  }
  terminal.err(
    `compared ${revisions.base.sha.slice(0, 12)} with ${revisions.head.sha.slice(0, 12)} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return diffExitCode(comparison, terminal, { blockOnRisk: flags.blockOnRisk, exitCode: flags.exitCode });
}

/** The report in the asked-for format; markdown is the pull request comment's text, without its marker and the action's own status. */
function formatComparison(
  comparison: Comparison,
  revisions: Record<Side, Revision>,
  options: { format: SettingValues['reportFormat']; budget: ReportBudget | undefined },
): string {
  const input = comparisonReportInput(comparison, revisions)!;
  const failures = renderFailures(comparison.renders);
  if (options.format === 'json') return buildJsonReport(input);
  if (options.format === 'text')
    return `${buildTextReport(input)}${failures.map((failure) => `\nrender failed (${failure.context.side}): ${failure.message}\n`).join('')}`;
  const status = comparisonStatus({ input, quiet: failures.length === 0, generatedValues: headGeneratedValues(comparison), failures });
  return comparisonMarkdown(input, { budget: options.budget, omittedHint: 'run with --budget none to see every diff', status }).body;
}

/** 1 when a render failed, a risk is at --block-on-risk or above, or (with --exit-code) anything changed. */
function diffExitCode(
  comparison: Comparison,
  terminal: Terminal,
  options: { blockOnRisk: RiskThreshold; exitCode: boolean },
): ExitCodeValue {
  const failures = renderFailures(comparison.renders);
  if (failures.length > 0)
    terminal.err(
      `diff failed:\n\n${failures.map((failure) => `${failure.context.side} failed to render:\n${failure.message}`).join('\n\n')}`,
    );
  const blocking = blockingRisks(comparison.risks, options.blockOnRisk);
  if (blocking.length > 0)
    terminal.err(
      `${blocking.length} risk${blocking.length === 1 ? '' : 's'} at --block-on-risk ${options.blockOnRisk} or above (see Risks)`,
    );
  const changed = options.exitCode && !isNothingToReport(comparison.diff.result);
  return failures.length > 0 || blocking.length > 0 || changed ? ExitCode.Failure : ExitCode.Success;
}
