import * as core from '@actions/core';
import { GITHUB_ACTIONS_BOT_EMAIL, GITHUB_ACTIONS_BOT_LOGIN } from './defaults.js';
import type { GitIdentity } from './git/git.js';
import type { ChartMirrorSettings } from './render/chart-mirror.js';
import type { RiskThreshold } from './risk/gate.js';
import type { PodSecurityLevel } from './risk/pod-security-checks.js';
import type { InstallMethod } from './tools/resolve.js';
import { formatSettingError } from './settings/setting-error.js';
import { parseSetting, settingEntries, type SettingKey, type SettingValues } from './settings/table.js';

/** The identity GitHub itself uses for commits made with the workflow's GITHUB_TOKEN. */
export const GITHUB_ACTIONS_BOT: GitIdentity = { name: GITHUB_ACTIONS_BOT_LOGIN, email: GITHUB_ACTIONS_BOT_EMAIL };

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
  rehearsal: boolean;
  /** Resolve the images the change deploys against their registries (docs/risks.md). */
  imageCheck: boolean;
  /** A docker config JSON with registry credentials (a secret); '' for anonymous access. */
  registryAuth: string;
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

/** Reads every input of the settings table; call at run time, never at import time. Throws InputError with every problem. */
export function readSettings(read: InputReader = readCoreInput): ActionSettings {
  const problems: string[] = [];
  const context = { surface: 'action', cwd: process.env.GITHUB_WORKSPACE || process.cwd() } as const;
  const values = {} as Record<SettingKey, unknown>;
  for (const [key, spec] of settingEntries()) {
    values[key] = spec.default;
    if (!spec.input) continue;
    try {
      values[key] = parseSetting(key, read(spec.input), context);
    } catch (error) {
      problems.push(formatSettingError(error, 'action'));
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return actionSettings(values as SettingValues);
}

/** The action's settings from the table's values (pure). */
function actionSettings(values: SettingValues): ActionSettings {
  return {
    helmfile: values.helmfile,
    environments: values.environments,
    kubernetesVersion: values.kubernetesVersion,
    kubernetesSchemas: values.kubernetesSchemas,
    skipKinds: values.skipKinds,
    pullRequestAuthors: values.pullRequestAuthors,
    branchPrefixes: values.branchPrefixes,
    comment: values.comment,
    commit: values.commit,
    commitStatus: values.commitStatus,
    statusContext: values.statusContext,
    committer: { name: values.committerName, email: values.committerEmail },
    outputDir: values.outputDir,
    diffContext: values.diffContext,
    noiseFilter: values.noiseFilter,
    podSecurityDefault: values.podSecurityDefault,
    apiServer: values.apiServer,
    rehearsal: values.rehearsal,
    imageCheck: values.imageCheck,
    registryAuth: values.registryAuth,
    blockOnValidationErrors: values.blockOnValidationErrors,
    allowDeletionsLabel: values.allowDeletionsLabel,
    deletionThresholdPercent: values.deletionThreshold,
    blockOnRisk: values.blockOnRisk,
    allowRiskLabel: values.allowRiskLabel,
    clusterScopedKinds: values.clusterScopedKinds,
    chartMirror: values.chartMirror,
    token: values.token,
    commentAuthor: values.commentAuthor,
    toolInstallMethod: values.toolInstallMethod,
  };
}
