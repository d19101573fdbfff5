import { writeFile } from 'node:fs/promises';
import { aliasedOption, CHART_MIRROR_USAGE, listOption, RENDER_OPTIONS, renderOptions } from './render-options.js';
import {
  compareRevisions,
  comparisonMarkdown,
  comparisonReportInput,
  comparisonStatus,
  headGeneratedValues,
  renderFailures,
  repositoryRelativePath,
  resolveRevisions,
  type CompareSettings,
  type Comparison,
  type Revision,
} from '../compare/index.js';
import type { Side } from '../side.js';
import { GitRepository } from '../git/git.js';
import { repositoryRoot, uncommittedPaths } from '../git/working-tree.js';
import {
  buildJsonReport,
  buildTextReport,
  COMMENT_BUDGET,
  JOB_SUMMARY_BUDGET,
  isNothingToReport,
  type ReportBudget,
} from '../report/index.js';
import {
  blockingRisks,
  isPodSecurityLevel,
  POD_SECURITY_LEVELS,
  RISK_THRESHOLDS,
  type PodSecurityLevel,
  type RiskThreshold,
} from '../risk/index.js';
import {
  DEFAULT_DIFF_CONTEXT_LINES,
  DEFAULT_HELMFILE_PATH,
  DEFAULT_MANIFESTS_DIRECTORY,
  DEFAULT_POD_SECURITY_LEVEL,
  GITHUB_COMMENT_MAX_CHARACTERS,
} from '../defaults.js';
import { startRunApiServers } from '../apiserver/run-servers.js';
import { apiServerSyncCheck } from '../apiserver/sync-check-stage.js';
import { DEFAULT_KUBERNETES_VERSION } from '../validate/index.js';
import { parseCommandOptions } from './command-options.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

const COMMENT_CHARACTERS = GITHUB_COMMENT_MAX_CHARACTERS.toLocaleString('en-US');

export const DIFF_USAGE = `Usage: helmfile-hydrate diff --base <git-ref> [options]

Renders the base and head commits (each exported to a temporary directory, with the real helmfile)
and prints what changes in the rendered manifests: the report the pull request comment shows
(validation findings the change introduces, values the charts ignore, the risks of the change:
what would make the Argo CD sync fail or the workloads break), from the same pipeline.
Run it inside the GitOps repository. Secrets are masked before anything is diffed.

Options:
      --base REF              Commit to compare against (e.g. origin/main). Required.
      --head REF              Commit to compare. Default: HEAD (the last commit; uncommitted
                              changes are not included: commit them first).
  -e, --environments NAMES    Environments to compare (comma-separated, repeatable). Default: every
                              environment declared on either side. Alias: --environment.
  -f, --helmfile PATH         helmfile.yaml(.gotmpl) or its directory. Default: ${DEFAULT_HELMFILE_PATH}
      --diff-context N        Unchanged lines around each change. Default: ${DEFAULT_DIFF_CONTEXT_LINES}. Alias: --context.
      --no-noise-filter       Show chart/version labels, checksum annotations and generated
                              certificates in diffs instead of counting them on one line.
      --output-dir DIR        Where each commit holds its rendered manifests. Default: ${DEFAULT_MANIFESTS_DIRECTORY}.
                              Values a chart generates on every render (certificates,
                              passwords) keep the values committed there, on each side.
                              Alias: --manifests.
      --trusted-base-manifests DIR
                              Read the base side from the manifests committed on the base in
                              DIR (e.g. manifests) instead of rendering it.
      --format FORMAT         markdown (default), text or json.
      --budget BUDGET         Size limit of markdown: comment (${COMMENT_CHARACTERS} characters, default),
                              summary (1 MiB) or none.
  -o, --output FILE           Write the report to FILE instead of stdout.
      --exit-code             Exit 1 when there are changes (like \`git diff --exit-code\`).
      --block-on-risk LEVEL   Exit 1 when the change has a risk of LEVEL or above: high, medium
                              or none (default: none; the action's default is high).
      --pod-security-default LEVEL
                              Pod Security Standards level the cluster enforces on a namespace
                              without a pod-security.kubernetes.io/enforce label: privileged
                              (default), baseline or restricted.
      --cluster-scoped-kinds KINDS
                              Treat these kinds (Kind or Kind.group, comma-separated, repeatable)
                              as cluster-scoped. Alias: --cluster-scoped.
      --kubernetes-version V  Kubernetes version charts see in .Capabilities.KubeVersion and both
                              sides are validated for (e.g. 1.35). Alias: --kube-version.
      --kubernetes-schemas URL
                              Where the Kubernetes OpenAPI v3 documents are (URL or local directory);
                              {ref}, {version}, {minor} are filled in. Default: upstream kubernetes/kubernetes.
      --skip-kinds KINDS      Do not validate these kinds (Kind or Kind.group, comma-separated,
                              repeatable); listed as skipped.
      --no-values-check       Do not look for values the head's charts ignore.
      --api-server, --no-api-server
                              Sync the change to a real kube-apiserver of the Kubernetes version
                              (127.0.0.1, this run only), base then head, as Argo CD does; each
                              refusal is a high risk. Default: on (as in the action).
      --api-server-binaries DIR
                              Directory holding kube-apiserver and etcd. Default: the pinned
                              release, installed on first use (docs/api-server.md).
${CHART_MIRROR_USAGE}
      --helm PATH             helm binary to use instead of the pinned one.
      --helmfile-binary PATH  helmfile binary to use instead of the pinned one.
  -h, --help                  Show this help.

Exit codes: 0 done (with --exit-code: no changes), 1 a render failed (or changes with
--exit-code, or a risk at --block-on-risk), 2 usage error.`;

const FORMATS = ['markdown', 'text', 'json'] as const;
type Format = (typeof FORMATS)[number];
const BUDGETS: Record<string, ReportBudget | undefined> = { comment: COMMENT_BUDGET, summary: JOB_SUMMARY_BUDGET, none: undefined };

const DIFF_OPTIONS = {
  ...RENDER_OPTIONS,
  base: { type: 'string' },
  head: { type: 'string' },
  'diff-context': { type: 'string' },
  'no-noise-filter': { type: 'boolean' },
  'trusted-base-manifests': { type: 'string' },
  'output-dir': { type: 'string' },
  'kubernetes-schemas': { type: 'string' },
  'skip-kinds': { type: 'string', multiple: true },
  'no-values-check': { type: 'boolean' },
  'api-server': { type: 'boolean' },
  'no-api-server': { type: 'boolean' },
  'api-server-binaries': { type: 'string' },
  // Aliases: the names before the flags took the action inputs' names.
  context: { type: 'string' },
  manifests: { type: 'string' },
  format: { type: 'string' },
  budget: { type: 'string' },
  output: { type: 'string', short: 'o' },
  'exit-code': { type: 'boolean' },
  'block-on-risk': { type: 'string' },
  'pod-security-default': { type: 'string' },
} as const;

type DiffOptionValues = ReturnType<typeof parseCommandOptions<typeof DIFF_OPTIONS>>;

/** The report options of `diff`, checked before anything is rendered; a bad value is a usage error. */
function reportOptions(values: DiffOptionValues): {
  format: Format;
  budget: ReportBudget | undefined;
  diffContext: number;
  blockOnRisk: RiskThreshold;
  podSecurityDefault: PodSecurityLevel;
} {
  if (!values.base) throw new UsageError('--base is required (e.g. --base origin/main)');
  if (values['api-server'] && values['no-api-server'])
    throw new UsageError('--api-server and --no-api-server contradict each other; give one');
  const format = (values.format ?? 'markdown') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const budgetName = values.budget ?? 'comment';
  if (!(budgetName in BUDGETS)) throw new UsageError(`--budget must be one of ${Object.keys(BUDGETS).join(', ')}, not "${values.budget}"`);
  const context = aliasedOption(values, 'diff-context', 'context');
  const diffContext = context === undefined ? DEFAULT_DIFF_CONTEXT_LINES : Number(context);
  if (!Number.isInteger(diffContext) || diffContext < 0)
    throw new UsageError(`--diff-context must be a whole number of lines, not "${context}"`);
  if (values.output === '') throw new UsageError('--output must not be empty');
  const blockOnRisk = (values['block-on-risk'] ?? 'none') as RiskThreshold;
  if (!RISK_THRESHOLDS.includes(blockOnRisk))
    throw new UsageError(`--block-on-risk must be one of ${RISK_THRESHOLDS.join(', ')}, not "${values['block-on-risk']}"`);
  const podSecurityDefault = values['pod-security-default'] ?? DEFAULT_POD_SECURITY_LEVEL;
  if (!isPodSecurityLevel(podSecurityDefault))
    throw new UsageError(`--pod-security-default must be one of ${POD_SECURITY_LEVELS.join(', ')}, not "${podSecurityDefault}"`);
  return { format, budget: BUDGETS[budgetName], diffContext, blockOnRisk, podSecurityDefault };
}

export async function diffCommand(argv: string[], terminal: Terminal, cwd: string = process.cwd()): Promise<ExitCodeValue> {
  const values = parseCommandOptions(argv, DIFF_OPTIONS);
  if (values.help) {
    terminal.out(DIFF_USAGE);
    return ExitCode.Success;
  }
  const options = reportOptions(values);
  const root = await repositoryRoot(cwd).catch(() => {
    throw new UsageError(`${cwd} is not inside a git repository; run helmfile-hydrate diff from the GitOps repository`);
  });
  const revisions = await resolveRevisions(root, values.base!, values.head);
  if (!values.head) {
    const dirty = await uncommittedPaths(new GitRepository(root));
    if (dirty.length > 0)
      terminal.err(
        `note: ${dirty.length} file(s) have uncommitted changes; the diff compares commits (head = HEAD), so commit them to include them`,
      );
  }
  const { settings: renderSettings, toolchain, progress } = await renderOptions(values, terminal);
  const settings: CompareSettings = {
    ...renderSettings,
    helmfile: repositoryRelativePath(root, cwd, renderSettings.helmfile, 'helmfile'),
    kubernetesSchemas: values['kubernetes-schemas'],
    skipKinds: listOption(values['skip-kinds']) ?? [],
    diffContext: options.diffContext,
    noiseFilter: !values['no-noise-filter'],
    valuesCheck: !values['no-values-check'],
    podSecurityDefault: options.podSecurityDefault,
    trustedBaseManifests: values['trusted-base-manifests'],
    committedManifests: aliasedOption(values, 'output-dir', 'manifests') ?? DEFAULT_MANIFESTS_DIRECTORY,
  };
  const started = Date.now();
  const log = (message: string) => terminal.err(message);
  // The first server starts now: it is ready by the time the renders are.
  const apiServer = values['no-api-server']
    ? undefined
    : startRunApiServers({
        kubernetesVersion: settings.kubeVersion ?? DEFAULT_KUBERNETES_VERSION,
        explicitDirectory: values['api-server-binaries'],
        log: (message) => terminal.err(`api server: ${message}`),
      });
  let comparison: Comparison;
  try {
    const checks = apiServer ? [apiServerSyncCheck(apiServer.pool, { version: apiServer.version, skipKinds: settings.skipKinds })] : [];
    comparison = await compareRevisions({ repository: root, revisions, settings, toolchain }, { log, progress, checks });
  } finally {
    await apiServer?.pool.close();
  }
  const report = formatComparison(comparison, revisions, options);
  if (values.output) {
    await writeFile(values.output, report);
    terminal.err(`wrote the ${options.format} report to ${values.output}`);
  } else {
    terminal.out(report);
  }
  terminal.err(
    `compared ${revisions.base.sha.slice(0, 12)} with ${revisions.head.sha.slice(0, 12)} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  return diffExitCode(comparison, terminal, { ...options, exitCode: values['exit-code'] === true });
}

/** The report in the asked-for format; markdown is the pull request comment's text, without its marker and the action's own status. */
function formatComparison(
  comparison: Comparison,
  revisions: Record<Side, Revision>,
  options: { format: Format; budget: ReportBudget | undefined },
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
