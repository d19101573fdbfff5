import { DEFAULT_HELMFILE_PATH } from '../defaults.js';
import { parseChartMirror, type ChartMirrorSettings } from '../render/chart-mirror.js';
import type { RenderProgress, RenderSettings } from '../render/index.js';
import { prepareToolchain, type Toolchain } from '../tools/index.js';
import { UsageError } from './exit-codes.js';
import type { Terminal } from './terminal.js';

/**
 * Options every command that renders accepts, with the same meaning everywhere (for
 * `node:util` parseArgs). Each command's usage text describes them.
 */
export const RENDER_OPTIONS = {
  environment: { type: 'string', short: 'e', multiple: true },
  helmfile: { type: 'string', short: 'f' },
  'cluster-scoped': { type: 'string', multiple: true },
  'chart-mirror': { type: 'string', multiple: true },
  helm: { type: 'string' },
  'helmfile-binary': { type: 'string' },
  'kubernetes-version': { type: 'string' },
  // The name render and diff had before all three commands said `--kubernetes-version`.
  'kube-version': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** The values parseArgs gives for RENDER_OPTIONS. */
export interface RenderOptionValues {
  environment?: string[];
  helmfile?: string;
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
    environments: values.environment,
    clusterScopedKinds: values['cluster-scoped'],
    kubeVersion: kubernetesVersionOption(values),
    chartMirror: chartMirrorOption(values['chart-mirror']),
  };
}

/** The pinned helm and helmfile (or those --helm and --helmfile-binary name), reporting on stderr. */
export function toolchainOption(values: RenderOptionValues, terminal: Terminal): Promise<Toolchain> {
  return prepareToolchain({
    helmPath: values.helm,
    helmfilePath: values['helmfile-binary'],
    log: (message) => terminal.err(`tools: ${message}`),
  });
}

/** Render progress on stderr, one line per environment or release. */
export function progressToTerminal(terminal: Terminal): RenderProgress {
  return ({ environment, release, message }) => terminal.err(`${environment}${release ? `/${release}` : ''}: ${message}`);
}

/** `--kubernetes-version` (or its older alias `--kube-version`); the two given differently is a usage error. */
export function kubernetesVersionOption(values: { 'kubernetes-version'?: string; 'kube-version'?: string }): string | undefined {
  const version = values['kubernetes-version'];
  const alias = values['kube-version'];
  if (version !== undefined && alias !== undefined && version !== alias) {
    throw new UsageError(
      `--kubernetes-version ${version} and --kube-version ${alias} disagree; --kube-version is an alias: give one of them`,
    );
  }
  return version ?? alias;
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
    throw new UsageError((error as Error).message);
  }
}
