import {
  DEFAULT_DIFF_CONTEXT_LINES,
  DEFAULT_HELMFILE_PATH,
  DEFAULT_MANIFESTS_DIRECTORY,
  DEFAULT_POD_SECURITY_LEVEL,
  GITHUB_ACTIONS_BOT_EMAIL,
  GITHUB_ACTIONS_BOT_LOGIN,
} from '../defaults.js';
import { parseChartMirror, type ChartMirrorSettings } from '../render/chart-mirror.js';
import { DEFAULT_ALLOW_RISK_LABEL, DEFAULT_BLOCK_ON_RISK, RISK_THRESHOLDS, type RiskThreshold } from '../risk/gate.js';
import type { InstallMethod } from '../tools/resolve.js';
import { POD_SECURITY_LEVELS, type PodSecurityLevel } from '../risk/pod-security-checks.js';
import { parseKubernetesVersion } from '../validate/schemas/kubernetes-version.js';
import { SettingError } from './setting-error.js';

/** Where a setting was given: the action's inputs or the CLI's flags. */
export type SettingSurface = 'action' | 'cli';

/** The CLI commands that take flags. */
export type CliCommand = 'render' | 'validate' | 'diff';

/** What a parser may depend on besides the text. */
export interface ParseContext {
  surface: SettingSurface;
  /** Relative directories (the chart mirror's) are resolved against it: the workspace, or the CLI's current directory. */
  cwd: string;
}

/** How a value is written: the CLI turns `boolean` into `--x`/`--no-x` and repeats `list` flags. */
export type SettingKind = 'text' | 'list' | 'boolean' | 'integer' | 'choice';

/** One setting, with everything either surface needs to read, check and document it. */
export interface SettingSpec<T> {
  kind: SettingKind;
  /** The action input (action.yml); absent: the CLI only. */
  input?: string;
  /** The CLI flag, without dashes; absent: the action only. */
  flag?: string;
  /** One-letter CLI flag. */
  short?: string;
  /** The commands that take the flag. */
  commands?: readonly CliCommand[];
  /** What to call it where neither an input nor a flag names it (messages of the library). */
  noun: string;
  /** The value's name in the CLI's help (`PATH`, `NAMES`); booleans have none. */
  placeholder?: string;
  /** What it does: action.yml's description and the CLI's help. */
  description: string;
  /** The value when the input is empty or the flag not given. */
  default: T;
  /** The CLI's default when it differs from the action's (said in the help). */
  cliDefault?: T;
  /** A command's own default, where one command's differs from the others' (said in the description). */
  commandDefaults?: Partial<Record<CliCommand, T>>;
  /** The value of a given, non-empty text (a list: comma- or line-separated); throws a SettingProblem (or a SettingError). */
  parse: (raw: string, context: ParseContext) => T;
}

/** What a parser throws: the problem with the text and what to do instead; parseSetting names the setting and the value. */
export class SettingProblem extends Error {
  constructor(
    readonly problem: string,
    readonly fix: string,
  ) {
    super(fix ? `${problem}; ${fix}` : problem);
    this.name = 'SettingProblem';
  }
}

// The spellings @actions/core's getBooleanInput accepts (YAML 1.2 core schema booleans).
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);

/** A list given as comma- or line-separated items, blanks dropped. */
export function splitList(raw: string): string[] {
  return raw
    .split(/[\n,]/)
    .map((item) => item.trim())
    .filter(Boolean);
}

type Spec<T> = Omit<SettingSpec<T>, 'kind' | 'parse' | 'default'>;

function text(spec: Spec<string> & { default?: string }): SettingSpec<string> {
  return { kind: 'text', placeholder: 'VALUE', default: '', ...spec, parse: (raw) => raw };
}

function list(spec: Spec<string[]>): SettingSpec<string[]> {
  return { kind: 'list', placeholder: 'NAMES', default: [], ...spec, parse: splitList };
}

function boolean(spec: Spec<boolean> & { default: boolean }): SettingSpec<boolean> {
  return {
    kind: 'boolean',
    ...spec,
    parse: (raw) => {
      if (TRUE_VALUES.has(raw)) return true;
      if (FALSE_VALUES.has(raw)) return false;
      throw new SettingProblem('not a boolean', 'use true or false');
    },
  };
}

function integer(spec: Spec<number> & { default: number; min: number; max: number; unit: string }): SettingSpec<number> {
  const { min, max, unit, ...rest } = spec;
  return {
    kind: 'integer',
    placeholder: 'N',
    ...rest,
    parse: (raw) => {
      const value = raw.replace(/%$/, '');
      if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max)
        throw new SettingProblem(`not a whole number of ${unit} from ${min} to ${max}`, '');
      return Number(value);
    },
  };
}

function choice<T extends string>(spec: Spec<T> & { default: T; choices: readonly T[] }): SettingSpec<T> {
  const { choices, ...rest } = spec;
  return {
    kind: 'choice',
    placeholder: choices.join('|'),
    ...rest,
    parse: (raw) => {
      if (!(choices as readonly string[]).includes(raw)) throw new SettingProblem(`not one of ${choices.join(', ')}`, '');
      return raw as T;
    },
  };
}

const RENDERING: readonly CliCommand[] = ['render', 'validate', 'diff'];
const VALIDATING: readonly CliCommand[] = ['validate', 'diff'];

/**
 * The output directory: the action commits only there, so it must be a plain relative path inside
 * the repository (never the root, never outside it, never `.git`); the CLI takes any directory.
 */
function parseOutputDir(raw: string, { surface }: ParseContext): string {
  if (surface === 'cli') return raw;
  const segments = raw
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  const bad = raw.startsWith('/') || /^[A-Za-z]:/.test(raw) || segments.length === 0 || segments.some((s) => s === '..' || s === '.git');
  if (bad)
    throw new SettingProblem(
      `must be a directory inside the repository (e.g. ${DEFAULT_MANIFESTS_DIRECTORY}), not the root, an absolute path, ".." or ".git"`,
      '',
    );
  return segments.join('/');
}

/**
 * Every setting of the action and the CLI, once: its input, flag, default, parser and limits.
 * `readSettings` (the action), the CLI's options and help, action.yml's defaults test and the
 * names in SettingError messages all come from here.
 */
export const SETTINGS = {
  helmfile: text({
    input: 'helmfile',
    flag: 'helmfile',
    short: 'f',
    commands: RENDERING,
    noun: 'helmfile',
    placeholder: 'PATH',
    description: 'Path of helmfile.yaml(.gotmpl) or of the directory holding it, relative to the repository root.',
    default: DEFAULT_HELMFILE_PATH,
  }),
  environments: list({
    input: 'environments',
    flag: 'environments',
    short: 'e',
    commands: RENDERING,
    noun: 'environments',
    description: 'Environments to render, one per line or comma-separated. Empty - every environment the helmfile declares.',
  }),
  kubernetesVersion: {
    kind: 'text',
    input: 'kubernetes-version',
    flag: 'kubernetes-version',
    commands: RENDERING,
    noun: 'Kubernetes version',
    placeholder: 'VERSION',
    description:
      "Kubernetes version the manifests are rendered and validated for (e.g. 1.35). Empty - the helmfile's kubeVersion, else the validator's default.",
    default: '',
    parse: (raw) => parseKubernetesVersion(raw) && raw.replace(/^v/, ''),
  } satisfies SettingSpec<string>,
  kubernetesSchemas: text({
    input: 'kubernetes-schemas',
    flag: 'kubernetes-schemas',
    commands: VALIDATING,
    noun: 'Kubernetes schema location',
    placeholder: 'URL',
    description:
      'Where the Kubernetes OpenAPI v3 documents are read from - a URL or directory ({ref}, {version}, {minor} are filled in), for mirrors and air-gapped runners. Empty - the Kubernetes repository on GitHub.',
  }),
  skipKinds: list({
    input: 'skip-kinds',
    flag: 'skip-kinds',
    commands: VALIDATING,
    noun: 'kinds to skip',
    placeholder: 'KINDS',
    description: 'Kinds not validated (Kind or Kind.group), one per line or comma-separated; they are listed as skipped in the report.',
  }),
  pullRequestAuthors: list({
    input: 'pull-request-authors',
    noun: 'pull request authors',
    description:
      'Act only on pull requests opened by one of these logins (e.g. renovate[bot]), one per line or comma-separated. Empty - every author.',
  }),
  branchPrefixes: list({
    input: 'branch-prefixes',
    noun: 'branch prefixes',
    description: 'Act only on pull requests whose head branch starts with one of these prefixes (e.g. renovate/). Empty - every branch.',
  }),
  comment: boolean({
    input: 'comment',
    noun: 'comment',
    description: 'Post the rendered diff as one sticky comment on the pull request (true or false).',
    default: true,
  }),
  commit: boolean({
    input: 'commit',
    noun: 'commit',
    description: 'Commit the rendered manifests to the pull request branch when they differ from what the branch holds (true or false).',
    default: true,
  }),
  commitStatus: boolean({
    input: 'commit-status',
    noun: 'commit status',
    description:
      "Set a commit status on the pull request's head - the manifests commit when one is pushed - with the run's result, for branch protection (true or false).",
    default: true,
  }),
  statusContext: text({
    input: 'status-context',
    noun: 'status context',
    description: 'Context (name) of that commit status; require it in branch protection.',
    default: 'helmfile-hydrate',
  }),
  committerName: {
    kind: 'text',
    input: 'committer-name',
    noun: 'committer name',
    description: 'Name the manifests commit is made by.',
    default: GITHUB_ACTIONS_BOT_LOGIN,
    parse: (raw) => {
      if (/[<>\n]/.test(raw)) throw new SettingProblem('must not contain <, > or a line break', '');
      return raw;
    },
  } satisfies SettingSpec<string>,
  committerEmail: {
    kind: 'text',
    input: 'committer-email',
    noun: 'committer e-mail',
    description: 'E-mail the manifests commit is made by.',
    default: GITHUB_ACTIONS_BOT_EMAIL,
    parse: (raw) => {
      if (!/^[^\s<>@]+@[^\s<>@]+$/.test(raw)) throw new SettingProblem('not an e-mail address', `use e.g. ${GITHUB_ACTIONS_BOT_EMAIL}`);
      return raw;
    },
  } satisfies SettingSpec<string>,
  outputDir: {
    kind: 'text',
    input: 'output-dir',
    flag: 'output-dir',
    short: 'o',
    commands: RENDERING,
    noun: 'output directory',
    placeholder: 'DIR',
    description:
      'Directory of the rendered manifests, one file per resource under <environment>/<release>/. The only path the action ever commits to.',
    default: DEFAULT_MANIFESTS_DIRECTORY,
    parse: parseOutputDir,
  } satisfies SettingSpec<string>,
  diffContext: integer({
    input: 'diff-context',
    flag: 'diff-context',
    commands: ['diff'],
    noun: 'diff context',
    description: 'Unchanged lines shown around each change in the diff (0-50).',
    default: DEFAULT_DIFF_CONTEXT_LINES,
    // More context than this makes the comment longer without helping a reviewer.
    min: 0,
    max: 50,
    unit: 'lines',
  }),
  noiseFilter: boolean({
    input: 'noise-filter',
    flag: 'noise-filter',
    commands: ['diff'],
    noun: 'noise filter',
    description: 'Leave chart labels, checksum annotations and generated certificates out of the diff (true or false).',
    default: true,
  }),
  apiServer: boolean({
    input: 'api-server',
    flag: 'api-server',
    commands: ['diff', 'validate'],
    noun: 'API server check',
    description:
      'Apply the change to a real kube-apiserver of kubernetes-version (started on 127.0.0.1 for this run, never a cluster) as Argo CD ' +
      'syncs it; each refusal is a high risk (diff, the action: the sync check, on by default) or a finding with rule api-server ' +
      '(validate: the rebuild drill on empty servers, off by default). See docs/api-server.md (true or false).',
    default: true,
    commandDefaults: { validate: false },
  }),
  rehearsal: boolean({
    input: 'rehearsal',
    flag: 'rehearsal',
    commands: ['diff', 'validate'],
    noun: 'rollout rehearsal',
    description:
      "With the API server check: roll the synced releases out on the environment's nodes as declared in .helmfile-hydrate.yaml " +
      '(kube-controller-manager, kube-scheduler and KWOK on the same local server), then lose each node in turn; pods refused, ' +
      'unschedulable or lost with a node are risks rollout-blocked and node-loss (validate: over whole environments). See docs/rehearsal.md (true or false).',
    default: true,
  }),
  imageCheck: boolean({
    input: 'image-check',
    flag: 'image-check',
    commands: ['diff', 'validate'],
    noun: 'image check',
    description:
      'Resolve every image the change deploys against its registry (crane, the OCI distribution API): a missing tag is a high risk ' +
      'image-missing, an image without a linux/<arch> variant for the nodes a high risk image-platform-missing; a registry that cannot ' +
      'be reached is listed as not checked (diff, the action; validate --api-server checks every image). See docs/risks.md (true or false).',
    default: true,
  }),
  registryAuth: text({
    input: 'registry-auth',
    noun: 'registry credentials',
    description:
      'A docker config JSON ({"auths": {"registry.example": {"auth": "..."}}}) with credentials for private registries of the image ' +
      'check; pass it from a secret. Never printed. Empty: the docker login of the job, if any (docker/login-action), else anonymous tokens (public registries).',
  }),
  apiServerBinaries: text({
    flag: 'api-server-binaries',
    commands: ['diff', 'validate'],
    noun: 'API server directory',
    placeholder: 'DIR',
    description:
      'A directory holding kube-apiserver and etcd (an unpacked envtest archive). Default: the pinned release, installed on first use.',
  }),
  blockOnValidationErrors: boolean({
    input: 'block-on-validation-errors',
    noun: 'block on validation errors',
    description:
      'Do not commit when the pull request introduces validation errors (true or false). Errors already on the base never block.',
    default: true,
  }),
  allowDeletionsLabel: text({
    input: 'allow-deletions-label',
    noun: 'allow-deletions label',
    description:
      'Pull request label that allows a commit deleting a CustomResourceDefinition, Namespace, PersistentVolumeClaim or PersistentVolume, or more than deletion-threshold of an environment.',
    default: 'hydrate/allow-deletions',
  }),
  deletionThreshold: integer({
    input: 'deletion-threshold',
    noun: 'deletion threshold',
    description: "Percent (0-100) of an environment's resources one change may remove before it needs the allow-deletions label.",
    default: 50,
    min: 0,
    max: 100,
    unit: 'percent',
  }),
  blockOnRisk: choice<RiskThreshold>({
    input: 'block-on-risk',
    flag: 'block-on-risk',
    commands: ['diff'],
    noun: 'risk level that blocks',
    description:
      'Lowest risk severity that blocks the commit and fails the check - high (the sync would fail, or a critical-path change), medium (also major image bumps, reshaped config files, blocking disruption budgets) or none. See docs/risks.md.',
    default: DEFAULT_BLOCK_ON_RISK,
    // A preview in a terminal reports risks without failing unless asked to.
    cliDefault: 'none',
    choices: RISK_THRESHOLDS,
  }),
  podSecurityDefault: choice<PodSecurityLevel>({
    input: 'pod-security-default',
    flag: 'pod-security-default',
    commands: ['diff'],
    noun: 'default Pod Security level',
    description:
      'Pod Security Standards level (privileged, baseline or restricted) the cluster enforces on a namespace without a pod-security.kubernetes.io/enforce label; pod templates are checked against it. See docs/risks.md.',
    default: DEFAULT_POD_SECURITY_LEVEL,
    choices: POD_SECURITY_LEVELS,
  }),
  allowRiskLabel: text({
    input: 'allow-risk-label',
    noun: 'allow-risk label',
    description: 'Pull request label that allows a commit the block-on-risk gate holds back, once a person has read the risks.',
    default: DEFAULT_ALLOW_RISK_LABEL,
  }),
  clusterScopedKinds: list({
    input: 'cluster-scoped-kinds',
    flag: 'cluster-scoped-kinds',
    commands: RENDERING,
    noun: 'cluster-scoped kinds',
    placeholder: 'KINDS',
    description:
      'Extra cluster-scoped kinds (Kind or Kind.group) for custom resources whose CRD is not in the render, one per line or comma-separated.',
  }),
  chartMirror: {
    kind: 'list',
    input: 'chart-mirror',
    flag: 'chart-mirror',
    commands: RENDERING,
    noun: 'chart mirror',
    placeholder: 'MIRROR',
    description:
      "Fetch charts from a mirror instead of the helmfile's repositories (air-gapped runners) - a directory or URL holding <repository name>/index.yaml, or SOURCE=TARGET per repository URL or oci:// prefix; one per line. The helmfile is not edited.",
    default: undefined,
    parse: (raw, { cwd }) => parseChartMirror(splitList(raw), cwd),
  } satisfies SettingSpec<ChartMirrorSettings | undefined>,
  commentAuthor: text({
    input: 'comment-author',
    noun: 'comment author',
    description:
      'Login the sticky comment is made as, for GitHub App tokens (e.g. my-app[bot]). Empty - GET /user, else github-actions[bot].',
  }),
  toolInstallMethod: choice<InstallMethod>({
    input: 'tool-install-method',
    noun: 'tool install method',
    description:
      'How missing helm, helmfile and API server (kube-apiserver, etcd) binaries are installed - auto (the verified release download on runners; elsewhere the verified release archive too, built with Go when it cannot be downloaded), download, or go.',
    default: 'auto',
    choices: ['auto', 'go', 'download'],
  }),
  token: text({
    input: 'token',
    noun: 'GitHub token',
    description:
      'Token for the API calls (comment, labels, commit status) and for git fetch and push, passed per command. A GitHub App token makes the push start workflows.',
  }),
  // The CLI only.
  valuesCheck: boolean({
    flag: 'values-check',
    commands: VALIDATING,
    noun: 'values check',
    description:
      'Look for values the charts ignore: a key a values file sets that its chart neither declares (values.yaml, values.schema.json) nor reads in a template. `--no-values-check` skips it.',
    default: true,
  }),
  full: boolean({
    flag: 'full',
    commands: ['render'],
    noun: 'full render',
    description: 'Render every release, even those whose inputs match the fingerprints recorded in <output-dir>/.helmfile-hydrate.json.',
    default: false,
  }),
  check: boolean({
    flag: 'check',
    commands: ['render'],
    noun: 'check',
    description:
      'Render every release and compare with the committed files in <output-dir> instead of writing: exit 1 naming each file that differs.',
    default: false,
  }),
  base: text({
    flag: 'base',
    commands: ['diff'],
    noun: 'base',
    placeholder: 'REF',
    description: 'Commit to compare against (e.g. origin/main). Required.',
  }),
  head: text({
    flag: 'head',
    commands: ['diff'],
    noun: 'head',
    placeholder: 'REF',
    description: 'Commit to compare: by default the last commit (uncommitted changes are not included: commit them first).',
    default: 'HEAD',
  }),
  reportFormat: choice<'markdown' | 'text' | 'json'>({
    flag: 'format',
    commands: ['diff'],
    noun: 'report format',
    description: "markdown (the pull request comment's text), text (every diff in full) or json.",
    default: 'markdown',
    choices: ['markdown', 'text', 'json'],
  }),
  findingsFormat: choice<'text' | 'json'>({
    flag: 'format',
    commands: ['validate'],
    noun: 'findings format',
    description: 'text or json.',
    default: 'text',
    choices: ['text', 'json'],
  }),
  budget: choice<'comment' | 'summary' | 'none'>({
    flag: 'budget',
    commands: ['diff'],
    noun: 'report budget',
    description: "Size limit of markdown: comment (GitHub's 65,536 characters), summary (1 MiB) or none.",
    default: 'comment',
    choices: ['comment', 'summary', 'none'],
  }),
  reportFile: text({
    flag: 'report-file',
    commands: ['diff'],
    noun: 'report file',
    placeholder: 'FILE',
    description: 'Write the report to FILE instead of stdout.',
  }),
  exitCode: boolean({
    flag: 'exit-code',
    commands: ['diff'],
    noun: 'exit code',
    description: 'Exit 1 when there are changes (like `git diff --exit-code`).',
    default: false,
  }),
  manifests: text({
    flag: 'manifests',
    commands: ['validate'],
    noun: 'manifests to validate',
    placeholder: 'DIR',
    description: 'Validate the manifests already written under DIR (<DIR>/<environment>/<release>/*.yaml) instead of rendering.',
  }),
  schemaCache: text({
    flag: 'schema-cache',
    commands: VALIDATING,
    noun: 'schema cache',
    placeholder: 'DIR',
    description: 'Cache of downloaded OpenAPI documents. Default: <tool cache>/kubernetes-openapi.',
  }),
  extraCrds: list({
    flag: 'crd',
    commands: ['validate'],
    noun: 'extra CRD path',
    placeholder: 'PATH',
    description: 'CRD file or directory of CRD files not in the render (repeatable).',
  }),
  ignoreMissingSchemas: boolean({
    flag: 'ignore-missing-schemas',
    commands: ['validate'],
    noun: 'ignore missing schemas',
    description: 'Skip (and list) resources whose kind has no schema instead of failing.',
    default: false,
  }),
  helm: text({
    flag: 'helm',
    commands: RENDERING,
    noun: 'helm binary',
    placeholder: 'PATH',
    description: 'helm binary to use instead of the pinned one.',
  }),
  helmfileBinary: text({
    flag: 'helmfile-binary',
    commands: RENDERING,
    noun: 'helmfile binary',
    placeholder: 'PATH',
    description: 'helmfile binary to use instead of the pinned one.',
  }),
} as const;

/** A setting by its library name. */
export type SettingKey = keyof typeof SETTINGS;

/** The value type of a setting. */
export type SettingValue<K extends SettingKey> = ReturnType<(typeof SETTINGS)[K]['parse']>;

/** Every setting's value. */
export type SettingValues = { -readonly [K in SettingKey]: SettingValue<K> };

/**
 * What `surface` calls the setting, as it begins a message: `--kubernetes-version` in the CLI,
 * `kubernetes-version input` in the action; the noun when that surface has no such setting.
 */
export function settingName(setting: SettingKey, surface: SettingSurface | 'library'): string {
  const spec: SettingSpec<unknown> = SETTINGS[setting];
  if (surface === 'cli' && spec.flag) return `--${spec.flag}`;
  if (surface === 'action' && spec.input) return `${spec.input} input`;
  return spec.noun;
}

/** The settings in table order, typed. */
export function settingEntries(): [SettingKey, SettingSpec<unknown>][] {
  return Object.entries(SETTINGS) as [SettingKey, SettingSpec<unknown>][];
}

/** Parses one given text, the default when it is empty (after trimming). */
export function parseSetting(key: SettingKey, raw: string, context: ParseContext): unknown {
  const spec: SettingSpec<unknown> = SETTINGS[key];
  const value = raw.trim();
  if (value === '') return context.surface === 'cli' && 'cliDefault' in spec ? spec.cliDefault : spec.default;
  try {
    return spec.parse(value, context);
  } catch (error) {
    if (error instanceof SettingProblem) throw new SettingError(key, value, error.problem, error.fix);
    throw error;
  }
}
