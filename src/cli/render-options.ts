import { DEFAULT_HELMFILE_PATH } from '../defaults.js';
import { parseChartMirror, type ChartMirrorSettings } from '../render/chart-mirror.js';
import type { RenderProgress, RenderSettings } from '../render/index.js';
import { formatSettingError, SettingError } from '../settings/index.js';
import { prepareToolchain, type Toolchain } from '../tools/index.js';
import { UsageError } from './exit-codes.js';
import type { Terminal } from './terminal.js';

/**
 * Options every command that renders accepts, with the same meaning everywhere (for
 * `node:util` parseArgs). Each command's usage text describes them. Flags are named as the
 * action's inputs are (action.yml); older names stay as aliases.
 */
export const RENDER_OPTIONS = {
  environments: { type: 'string', short: 'e', multiple: true },
  // Alias of --environments, its name before the flags took the inputs' names.
  environment: { type: 'string', multiple: true },
  helmfile: { type: 'string', short: 'f' },
  'cluster-scoped-kinds': { type: 'string', multiple: true },
  // Alias of --cluster-scoped-kinds.
  'cluster-scoped': { type: 'string', multiple: true },
  'chart-mirror': { type: 'string', multiple: true },
  helm: { type: 'string' },
  'helmfile-binary': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  // Alias of --kubernetes-version: the name render and diff had before all three commands said `--kubernetes-version`.
  'kube-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The values parseArgs gives for RENDER_OPTIONS. */
export interface RenderOptionValues {
  environments?: string[];
  environment?: string[];
  helmfile?: string;
  'cluster-scoped-kinds'?: string[];
  'cluster-scoped'?: string[];
  'chart-mirror'?: string[];
  helm?: string;
  'helmfile-binary'?: string;
  'kubernetes-version'?: string;
  'kube-version'?: string;
}

/** What to render, as every command that renders reads it from its options; a bad value is a usage error. */
export function renderSettingsOption(values: RenderOptionValues): RenderSettings {
  return {
    helmfile: values.helmfile ?? DEFAULT_HELMFILE_PATH,
    environments: listOption(values.environments, values.environment),
    clusterScopedKinds: listOption(values['cluster-scoped-kinds'], values['cluster-scoped']),
    kubeVersion: kubernetesVersionOption(values),
    chartMirror: chartMirrorOption(values['chart-mirror']),
  };
}

/**
 * Everything a command that renders reads from its options: what to render (a bad value is a
 * usage error, raised before the tools are prepared), the tools, and progress on stderr.
 */
export async function renderOptions(
  values: RenderOptionValues,
  terminal: Terminal,
): Promise<{ settings: RenderSettings; toolchain: Toolchain; progress: RenderProgress }> {
  const settings = renderSettingsOption(values);
  return { settings, toolchain: await toolchainOption(values, terminal), progress: progressToTerminal(terminal) };
}

/** The pinned helm and helmfile (or those --helm and --helmfile-binary name), reporting on stderr. */
function toolchainOption(values: RenderOptionValues, terminal: Terminal): Promise<Toolchain> {
  return prepareToolchain({
    helmPath: values.helm,
    helmfilePath: values['helmfile-binary'],
    log: (message) => terminal.err(`tools: ${message}`),
  });
}

/** Render progress on stderr, one line per environment or release. */
function progressToTerminal(terminal: Terminal): RenderProgress {
  return ({ environment, release, message }) => terminal.err(`${environment}${release ? `/${release}` : ''}: ${message}`);
}

/** `--kubernetes-version` (or its older alias `--kube-version`); the two given differently is a usage error. */
export function kubernetesVersionOption(values: { 'kubernetes-version'?: string; 'kube-version'?: string }): string | undefined {
  return aliasedOption(values, 'kubernetes-version', 'kube-version');
}

/** A one-value flag given by its name or its older alias; the two given differently is a usage error. */
export function aliasedOption<Name extends string, Alias extends string>(
  values: { readonly [key in Name | Alias]?: string },
  name: Name,
  alias: Alias,
): string | undefined {
  const value = values[name];
  const aliased = values[alias];
  if (value !== undefined && aliased !== undefined && value !== aliased)
    throw new UsageError(`--${name} ${value} and --${alias} ${aliased} disagree; --${alias} is an alias: give one of them`);
  return value ?? aliased;
}

/**
 * A list flag: every occurrence of it and of its older alias, each split at commas as the
 * action's list inputs are (`--skip-kinds A,B --skip-kinds C`); undefined when none is given.
 */
export function listOption(...occurrences: (readonly string[] | undefined)[]): string[] | undefined {
  if (occurrences.every((values) => values === undefined)) return undefined;
  return occurrences
    .flatMap((values) => values ?? [])
    .flatMap((value) => value.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
}

/** A setting error raised while reading the options, as a usage error naming the flag; any other error as it is. */
export function settingUsageError(error: unknown): unknown {
  return error instanceof SettingError ? new UsageError(formatSettingError(error, 'cli')) : error;
}

/** The usage lines of --chart-mirror, the same in every command that renders. */
export const CHART_MIRROR_USAGE = `      --chart-mirror MIRROR   Fetch charts from MIRROR instead of the helmfile's repositories
                              (repeatable): a directory or URL holding <repository name>/index.yaml,
                              or SOURCE=TARGET for one repository URL or oci:// prefix.`;

/** --chart-mirror values as render settings; a bad value is a usage error naming it. */
export function chartMirrorOption(values: readonly string[] | undefined): ChartMirrorSettings | undefined {
  try {
    return parseChartMirror(values ?? [], process.cwd());
  } catch (error) {
    throw settingUsageError(error);
  }
}
