import { writeFile } from 'node:fs/promises';
import { aliasedOption, CHART_MIRROR_USAGE, RENDER_OPTIONS, renderOptions } from './render-options.js';
import { diffManifests } from '../diff/index.js';
import { renderErrorsOf } from '../render/index.js';
import { renderRevisions } from '../revision/index.js';
import { GitRepository } from '../git/git.js';
import { repositoryRoot, uncommittedPaths } from '../git/working-tree.js';
import {
  buildJsonReport,
  buildMarkdownReport,
  buildTextReport,
  COMMENT_BUDGET,
  JOB_SUMMARY_BUDGET,
  isNothingToReport,
  type ReportBudget,
} from '../report/index.js';
import {
  analyzeRisks,
  blockingRisks,
  isPodSecurityLevel,
  POD_SECURITY_LEVELS,
  RISK_THRESHOLDS,
  type RiskThreshold,
} from '../risk/index.js';
import {
  DEFAULT_DIFF_CONTEXT_LINES,
  DEFAULT_HELMFILE_PATH,
  DEFAULT_MANIFESTS_DIRECTORY,
  DEFAULT_POD_SECURITY_LEVEL,
  GITHUB_COMMENT_MAX_CHARACTERS,
} from '../defaults.js';
import { parseCommandOptions } from './command-options.js';
import { ExitCode, UsageError, type ExitCodeValue } from './exit-codes.js';
import type { Terminal } from './terminal.js';

const COMMENT_CHARACTERS = GITHUB_COMMENT_MAX_CHARACTERS.toLocaleString('en-US');

export const DIFF_USAGE = `Usage: helmfile-hydrate diff --base <git-ref> [options]

Renders the base and head commits (each exported to a temporary directory, with the real helmfile)
and prints what changes in the rendered manifests: the report the pull request comment shows,
with the risks of the change (what would make the Argo CD sync fail or the workloads break).
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
      --kubernetes-version V  Kubernetes version charts see in .Capabilities.KubeVersion (e.g. 1.35).
                              Alias: --kube-version.
${CHART_MIRROR_USAGE}
      --helm PATH             helm binary to use instead of the pinned one.
      --helmfile-binary PATH  helmfile binary to use instead of the pinned one.
  -h, --help                  Show this help.

Exit codes: 0 done (with --exit-code: no changes), 1 a render failed (or changes with
--exit-code, or a risk at --block-on-risk), 2 usage error.`;

const FORMATS = ['markdown', 'text', 'json'] as const;
const BUDGETS: Record<string, ReportBudget | undefined> = { comment: COMMENT_BUDGET, summary: JOB_SUMMARY_BUDGET, none: undefined };

export async function diffCommand(argv: string[], terminal: Terminal, cwd: string = process.cwd()): Promise<ExitCodeValue> {
  const values = parseCommandOptions(argv, {
    ...RENDER_OPTIONS,
    base: { type: 'string' },
    head: { type: 'string' },
    'diff-context': { type: 'string' },
    'no-noise-filter': { type: 'boolean' },
    'trusted-base-manifests': { type: 'string' },
    'output-dir': { type: 'string' },
    // Aliases: the names before the flags took the action inputs' names.
    context: { type: 'string' },
    manifests: { type: 'string' },
    format: { type: 'string' },
    budget: { type: 'string' },
    output: { type: 'string', short: 'o' },
    'exit-code': { type: 'boolean' },
    'block-on-risk': { type: 'string' },
    'pod-security-default': { type: 'string' },
  });
  if (values.help) {
    terminal.out(DIFF_USAGE);
    return ExitCode.Success;
  }
  if (!values.base) throw new UsageError('--base is required (e.g. --base origin/main)');
  const format = (values.format ?? 'markdown') as (typeof FORMATS)[number];
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, not "${values.format}"`);
  const budgetName = values.budget ?? 'comment';
  if (!(budgetName in BUDGETS)) throw new UsageError(`--budget must be one of ${Object.keys(BUDGETS).join(', ')}, not "${values.budget}"`);
  const context = aliasedOption(values, 'diff-context', 'context');
  const contextLines = context === undefined ? DEFAULT_DIFF_CONTEXT_LINES : Number(context);
  if (!Number.isInteger(contextLines) || contextLines < 0)
    throw new UsageError(`--diff-context must be a whole number of lines, not "${context}"`);
  if (values.output === '') throw new UsageError('--output must not be empty');
  const blockOnRisk = (values['block-on-risk'] ?? 'none') as RiskThreshold;
  if (!RISK_THRESHOLDS.includes(blockOnRisk))
    throw new UsageError(`--block-on-risk must be one of ${RISK_THRESHOLDS.join(', ')}, not "${values['block-on-risk']}"`);
  const podSecurityDefault = values['pod-security-default'] ?? DEFAULT_POD_SECURITY_LEVEL;
  if (!isPodSecurityLevel(podSecurityDefault))
    throw new UsageError(`--pod-security-default must be one of ${POD_SECURITY_LEVELS.join(', ')}, not "${podSecurityDefault}"`);

  const root = await repositoryRoot(cwd).catch(() => {
    throw new UsageError(`${cwd} is not inside a git repository; run helmfile-hydrate diff from the GitOps repository`);
  });
  if (!values.head) {
    const dirty = await uncommittedPaths(new GitRepository(root));
    if (dirty.length > 0)
      terminal.err(
        `note: ${dirty.length} file(s) have uncommitted changes; the diff compares commits (head = HEAD), so commit them to include them`,
      );
  }
  const { settings: renderSettings, toolchain, progress } = await renderOptions(values, terminal);
  const started = Date.now();
  let revisions;
  try {
    revisions = await renderRevisions(
      {
        ...renderSettings,
        repository: cwd,
        base: values.base,
        head: values.head,
        trustedBaseManifests: values['trusted-base-manifests'],
        committedManifests: aliasedOption(values, 'output-dir', 'manifests') ?? DEFAULT_MANIFESTS_DIRECTORY,
      },
      toolchain,
      progress,
    );
  } catch (error) {
    if (renderErrorsOf(error)) {
      terminal.err(`diff failed:\n\n${(error as Error).message}`);
      return ExitCode.Failure;
    }
    throw error;
  }
  const diff = diffManifests(revisions.base.environments, revisions.head.environments, {
    contextLines,
    noiseFilter: !values['no-noise-filter'],
  });
  const generatedValues = revisions.head.environments.flatMap((environment) => environment.generated ?? []);
  const risks = analyzeRisks({
    base: revisions.base.environments,
    head: revisions.head.environments,
    sensitive: diff.sensitive,
    generatedValues,
    podSecurityDefault,
  });
  const input = {
    diff,
    risks,
    base: { ref: revisions.base.ref, sha: revisions.base.sha },
    head: { ref: revisions.head.ref, sha: revisions.head.sha },
  };
  const report =
    format === 'json'
      ? buildJsonReport(input)
      : format === 'text'
        ? buildTextReport(input)
        : buildMarkdownReport(input, { budget: BUDGETS[budgetName], omittedHint: 'run with --budget none to see every diff' }).body;
  if (values.output) {
    await writeFile(values.output, report);
    terminal.err(`wrote the ${format} report to ${values.output}`);
  } else {
    terminal.out(report);
  }
  terminal.err(
    `compared ${revisions.base.sha.slice(0, 12)} with ${revisions.head.sha.slice(0, 12)} in ${((Date.now() - started) / 1000).toFixed(1)}s`,
  );
  const blocking = blockingRisks(risks, blockOnRisk);
  if (blocking.length > 0)
    terminal.err(`${blocking.length} risk${blocking.length === 1 ? '' : 's'} at --block-on-risk ${blockOnRisk} or above (see Risks)`);
  return blocking.length > 0 || (values['exit-code'] && !isNothingToReport(diff)) ? ExitCode.Failure : ExitCode.Success;
}
