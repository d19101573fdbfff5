import * as core from '@actions/core';
import {
  DEFAULT_DIFF_CONTEXT_LINES,
  DEFAULT_HELMFILE_PATH,
  DEFAULT_MANIFESTS_DIRECTORY,
  DEFAULT_POD_SECURITY_LEVEL,
  GITHUB_ACTIONS_BOT_EMAIL,
  GITHUB_ACTIONS_BOT_LOGIN,
} from './defaults.js';
import type { GitIdentity } from './git/git.js';
import { parseChartMirror, type ChartMirrorSettings } from './render/chart-mirror.js';
import { DEFAULT_ALLOW_RISK_LABEL, DEFAULT_BLOCK_ON_RISK, RISK_THRESHOLDS, type RiskThreshold } from './risk/gate.js';
import { isPodSecurityLevel } from './risk/pod-security.js';
import { POD_SECURITY_LEVELS, type PodSecurityLevel } from './risk/pod-security-checks.js';
import type { InstallMethod } from './tools/index.js';
import { formatSettingError } from './settings/index.js';
import { parseKubernetesVersion } from './validate/schemas/kubernetes-version.js';

/** The identity GitHub itself uses for commits made with the workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_BOT: GitIdentity = { name: GITHUB_ACTIONS_BOT_LOGIN, email: GITHUB_ACTIONS_BOT_EMAIL };

/** The commit status context the action sets, and branch protection requires. */
export const DEFAULT_STATUS_CONTEXT = 'helmfile-hydrate';
export const DEFAULT_ALLOW_DELETIONS_LABEL = 'hydrate/allow-deletions';
/** Share of an environment's committed resources a single change may remove without the label. */
export const DEFAULT_DELETION_THRESHOLD_PERCENT = 50;
/** More context than this makes the comment longer without helping a reviewer. */
const MAX_DIFF_CONTEXT = 50;

/** Everything the action was asked to do, read and checked once at the start of a run. */
export interface ActionSettings {
  /** helmfile.yaml(.gotmpl) or its directory, relative to the repository root. */
  helmfile: string;
  /** Environments to render; empty means every environment the helmfile declares. */
  environments: string[];
  /** Kubernetes version the manifests are validated against (`1.35` or `1.35.0`); '' for the validator's default. */
  kubernetesVersion: string;
  /** Where the Kubernetes OpenAPI documents come from (URL or directory, `{ref}`/`{version}`/`{minor}` filled in); '' for upstream. */
  kubernetesSchemas: string;
  /** Kinds not validated (`Kind` or `Kind.group`), listed as skipped. */
  skipKinds: string[];
  /** Act only on pull requests opened by one of these logins (empty: every author). */
  pullRequestAuthors: string[];
  /** Act only on pull requests whose head branch starts with one of these (empty: every branch). */
  branchPrefixes: string[];
  comment: boolean;
  commit: boolean;
  /** Set a commit status on the pull request's head (the manifests commit when one is pushed). */
  commitStatus: boolean;
  /** The commit status's context: the name branch protection requires. */
  statusContext: string;
  committer: GitIdentity;
  /** Directory of the rendered manifests, relative to the repository root, `/`-separated. */
  outputDir: string;
  diffContext: number;
  noiseFilter: boolean;
  /** Run the API server sync check (docs/api-server.md). */
  apiServer: boolean;
  /** Block the commit when the pull request introduces validation errors. */
  blockOnValidationErrors: boolean;
  allowDeletionsLabel: string;
  /** Percent (0-100) of an environment's resources one change may remove before it is blocked. */
  deletionThresholdPercent: number;
  /** Lowest risk severity that blocks the commit (see src/risk/gate.ts). */
  blockOnRisk: RiskThreshold;
  allowRiskLabel: string;
  /** Pod Security Standards level of a namespace without an enforce label (see src/risk/pod-security.ts). */
  podSecurityDefault: PodSecurityLevel;
  /** Extra cluster-scoped kinds for custom resources whose CRD is not in the render. */
  clusterScopedKinds: string[];
  /** Where charts come from instead of the helmfile's repositories; directories resolved against the workspace. */
  chartMirror?: ChartMirrorSettings;
  token: string;
  /** Login the sticky comment is expected from; '' means ask GitHub (`GET /user`). */
  commentAuthor: string;
  toolInstallMethod: InstallMethod;
}

/**
 * Raised with every invalid input at once, each named with its bad value and the fix, in the words
 * library errors use on the action (`kubernetes-version input "x": ...`, see formatSettingError).
 */
export class InputError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid action input${problems.length > 1 ? 's' : ''}:\n${problems.map((problem) => `- ${problem}`).join('\n')}`);
    this.name = 'InputError';
  }
}

/** Returns an input's raw value ('' when unset), as `core.getInput` does. */
export type InputReader = (name: string) => string;

const readCoreInput: InputReader = (name) => core.getInput(name);

// The spellings @actions/core's getBooleanInput accepts (YAML 1.2 core schema booleans).
const TRUE_VALUES = new Set(['true', 'True', 'TRUE']);
const FALSE_VALUES = new Set(['false', 'False', 'FALSE']);
const INSTALL_METHODS: readonly InstallMethod[] = ['auto', 'go', 'download'];

/** Reads every input; call at run time, never at import time. Throws InputError. */
export function readSettings(read: InputReader = readCoreInput): ActionSettings {
  const problems: string[] = [];
  const invalid = (name: string, value: string, problem: string): number =>
    problems.push(`${name} input ${JSON.stringify(value)}: ${problem}`);
  const text = (name: string, fallback = ''): string => read(name).trim() || fallback;
  const list = (name: string): string[] =>
    read(name)
      .split(/[\n,]/)
      .map((item) => item.trim())
      .filter(Boolean);
  const bool = (name: string, fallback: boolean): boolean => {
    const value = read(name).trim();
    if (value === '') return fallback;
    if (TRUE_VALUES.has(value)) return true;
    if (FALSE_VALUES.has(value)) return false;
    invalid(name, value, 'not a boolean; use true or false');
    return fallback;
  };
  const integer = (name: string, fallback: number, min: number, max: number, unit: string): number => {
    const value = read(name).trim().replace(/%$/, '');
    if (value === '') return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      invalid(name, read(name).trim(), `not a whole number of ${unit} from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  };

  const outputDir = normalizeOutputDir(text('output-dir', DEFAULT_MANIFESTS_DIRECTORY), problems);
  const kubernetesVersion = text('kubernetes-version');
  try {
    if (kubernetesVersion) parseKubernetesVersion(kubernetesVersion);
  } catch (error) {
    problems.push(formatSettingError(error, 'action'));
  }
  const installMethod = text('tool-install-method', 'auto');
  if (!(INSTALL_METHODS as readonly string[]).includes(installMethod)) {
    invalid('tool-install-method', installMethod, `not one of ${INSTALL_METHODS.join(', ')}`);
  }
  const blockOnRisk = text('block-on-risk', DEFAULT_BLOCK_ON_RISK);
  if (!(RISK_THRESHOLDS as readonly string[]).includes(blockOnRisk))
    invalid('block-on-risk', blockOnRisk, `not one of ${RISK_THRESHOLDS.join(', ')}`);
  const podSecurityDefault = text('pod-security-default', DEFAULT_POD_SECURITY_LEVEL);
  if (!isPodSecurityLevel(podSecurityDefault))
    invalid('pod-security-default', podSecurityDefault, `not one of ${POD_SECURITY_LEVELS.join(', ')}`);
  const committer = { name: text('committer-name', GITHUB_ACTIONS_BOT.name), email: text('committer-email', GITHUB_ACTIONS_BOT.email) };
  if (!/^[^\s<>@]+@[^\s<>@]+$/.test(committer.email)) {
    invalid('committer-email', committer.email, `not an e-mail address; use e.g. ${GITHUB_ACTIONS_BOT.email}`);
  }
  let chartMirror: ChartMirrorSettings | undefined;
  try {
    chartMirror = parseChartMirror(list('chart-mirror'), process.env.GITHUB_WORKSPACE || process.cwd());
  } catch (error) {
    problems.push(formatSettingError(error, 'action'));
  }
  if (/[<>\n]/.test(committer.name)) invalid('committer-name', committer.name, 'must not contain <, > or a line break');

  const settings: ActionSettings = {
    helmfile: text('helmfile', DEFAULT_HELMFILE_PATH),
    environments: list('environments'),
    kubernetesVersion: kubernetesVersion.replace(/^v/, ''),
    kubernetesSchemas: text('kubernetes-schemas'),
    skipKinds: list('skip-kinds'),
    pullRequestAuthors: list('pull-request-authors'),
    branchPrefixes: list('branch-prefixes'),
    comment: bool('comment', true),
    commit: bool('commit', true),
    commitStatus: bool('commit-status', true),
    statusContext: text('status-context', DEFAULT_STATUS_CONTEXT),
    committer,
    outputDir,
    diffContext: integer('diff-context', DEFAULT_DIFF_CONTEXT_LINES, 0, MAX_DIFF_CONTEXT, 'lines'),
    noiseFilter: bool('noise-filter', true),
    apiServer: bool('api-server', true),
    blockOnValidationErrors: bool('block-on-validation-errors', true),
    allowDeletionsLabel: text('allow-deletions-label', DEFAULT_ALLOW_DELETIONS_LABEL),
    deletionThresholdPercent: integer('deletion-threshold', DEFAULT_DELETION_THRESHOLD_PERCENT, 0, 100, 'percent'),
    blockOnRisk: blockOnRisk as RiskThreshold,
    allowRiskLabel: text('allow-risk-label', DEFAULT_ALLOW_RISK_LABEL),
    podSecurityDefault: podSecurityDefault as PodSecurityLevel,
    clusterScopedKinds: list('cluster-scoped-kinds'),
    chartMirror,
    token: read('token').trim(),
    commentAuthor: text('comment-author'),
    toolInstallMethod: installMethod as InstallMethod,
  };
  if (problems.length > 0) throw new InputError(problems);
  return settings;
}

/**
 * The output directory is the only place the action ever commits to, so it must be a plain
 * relative path inside the repository: never the root, never outside it, never `.git`.
 */
function normalizeOutputDir(value: string, problems: string[]): string {
  const segments = value
    .replace(/\\/g, '/')
    .split('/')
    .filter((segment) => segment !== '' && segment !== '.');
  const bad =
    value.startsWith('/') ||
    /^[A-Za-z]:/.test(value) ||
    segments.length === 0 ||
    segments.some((segment) => segment === '..' || segment === '.git');
  if (bad) {
    problems.push(
      `output-dir input ${JSON.stringify(value)}: ` +
        `must be a directory inside the repository (e.g. ${DEFAULT_MANIFESTS_DIRECTORY}), not the root, an absolute path, ".." or ".git"`,
    );
    return DEFAULT_MANIFESTS_DIRECTORY;
  }
  return segments.join('/');
}
