import type { ChartMirrorSettings } from '../render/chart-mirror.js';
import type { RenderSettings } from '../render/render.js';
import type { RevisionSettings } from '../revision/revisions.js';
import type { PodSecurityLevel } from '../risk/pod-security-checks.js';

/** How two commits are compared: what to render, how to validate and how to diff (the action and `diff` alike). */
export interface CompareSettings extends RevisionSettings {
  /** Where the Kubernetes OpenAPI documents are read from; default upstream. */
  kubernetesSchemas?: string;
  /** Cache of downloaded OpenAPI documents; default `<tool cache>/kubernetes-openapi`. */
  schemaCache?: string;
  /** Kinds not validated (`Kind` or `Kind.group`); listed as skipped. */
  skipKinds: readonly string[];
  /** Unchanged lines around each change in the diff. */
  diffContext: number;
  /** Leave chart labels, checksum annotations and generated certificates out of the diff. */
  noiseFilter: boolean;
  /**
   * Every check in full (default false; tests compare both ways): every head resource validated,
   * none taking the base's outcome, and each environment's charts fetched for the values check.
   */
  checkEverything?: boolean;
  /** Look for values the charts ignore on the head (default true). */
  valuesCheck?: boolean;
  /** Pod Security Standards level of a namespace without an enforce label (default privileged; see src/risk/pod-security.ts). */
  podSecurityDefault?: PodSecurityLevel;
}

/** Set to `1` (tests only), `checkEverything` is on: the tests compare reports made both ways byte for byte. */
export const CHECK_EVERYTHING_VARIABLE = 'HELMFILE_HYDRATE_CHECK_EVERYTHING';

/** Whether every check runs in full: the setting, else the tests' environment variable. */
export function checksEverything(settings: Pick<CompareSettings, 'checkEverything'>): boolean {
  return settings.checkEverything ?? process.env[CHECK_EVERYTHING_VARIABLE] === '1';
}

/** The settings the action's inputs and the CLI's flags share, under the settings table's names. */
export interface SharedCompareValues {
  helmfile: string;
  environments: readonly string[];
  clusterScopedKinds: readonly string[];
  kubernetesVersion: string;
  kubernetesSchemas: string;
  skipKinds: readonly string[];
  outputDir: string;
  chartMirror?: ChartMirrorSettings;
  diffContext: number;
  noiseFilter: boolean;
  podSecurityDefault?: PodSecurityLevel;
}

/** What to render, from the shared settings ('' means unset) (pure). */
export function renderSettingsOf(
  values: Pick<SharedCompareValues, 'helmfile' | 'environments' | 'clusterScopedKinds' | 'kubernetesVersion' | 'chartMirror'>,
): Pick<RenderSettings, 'helmfile' | 'environments' | 'clusterScopedKinds' | 'kubeVersion' | 'chartMirror'> {
  return {
    helmfile: values.helmfile,
    environments: values.environments,
    clusterScopedKinds: values.clusterScopedKinds,
    kubeVersion: values.kubernetesVersion || undefined,
    chartMirror: values.chartMirror,
  };
}

/** How to compare, from the shared settings ('' means unset) (pure). */
export function compareSettingsOf(values: SharedCompareValues): CompareSettings {
  return {
    ...renderSettingsOf(values),
    kubernetesSchemas: values.kubernetesSchemas || undefined,
    skipKinds: values.skipKinds,
    committedManifests: values.outputDir,
    diffContext: values.diffContext,
    noiseFilter: values.noiseFilter,
    podSecurityDefault: values.podSecurityDefault,
  };
}
