import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { parseAllDocuments } from 'yaml';
import {
  parseChartMirror,
  renderEnvironments,
  type EnvironmentManifests,
  type RenderSettings,
  type RenderToolchain,
} from '../../../src/render/index.js';
import { requireSharedCharts } from '../../support/shared-charts.js';

/** The repository root: the platform under test is this repository's own helmfile/. */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PLATFORM_HELMFILE = join(REPOSITORY_ROOT, 'helmfile', 'helmfile.yaml.gotmpl');
export const PLATFORM_ENVIRONMENTS = ['production', 'staging'] as const;
export type PlatformEnvironment = (typeof PLATFORM_ENVIRONMENTS)[number];

/** helmfile otherwise asks github.com for a newer release on every run. */
const QUIET = { HELMFILE_UPGRADE_NOTICE_DISABLED: 'true' };

export interface HelmfileStateRelease {
  name: string;
  namespace: string;
  chart: string;
  version?: string;
  labels?: Record<string, string>;
  needs?: string[];
  /** File paths (relative to helmfile/) or, with --embed-values, the merged value maps. */
  values?: unknown[];
}

/** The state `helmfile build` prints: the helmfile after templating, for one environment. */
export interface HelmfileState {
  environments: Record<string, { values?: string[] }>;
  repositories: Array<{ name: string; url: string; oci?: boolean }>;
  releases: HelmfileStateRelease[];
}

/** Runs the real helmfile against the platform; throws with helmfile's own error output. */
export async function platformHelmfile(toolchain: RenderToolchain, environment: string, args: string[]): Promise<string> {
  const result = await execa(
    toolchain.helmfile.path,
    ['--file', PLATFORM_HELMFILE, '--environment', environment, '--helm-binary', toolchain.helm.path, '--no-color', ...args],
    { env: { ...toolchain.env, ...QUIET }, extendEnv: false, reject: false, stdin: 'ignore', cwd: REPOSITORY_ROOT },
  );
  if (result.exitCode !== 0) {
    throw new Error(
      `helmfile ${args.join(' ')} failed for environment "${environment}" (${PLATFORM_HELMFILE}):\n${(result.stderr || result.stdout).trimEnd().split('\n').slice(-30).join('\n')}`,
    );
  }
  return result.stdout;
}

/** `helmfile build` (optionally with every values file rendered and embedded), parsed. */
export async function buildState(
  toolchain: RenderToolchain,
  environment: string,
  options: { embedValues?: boolean } = {},
): Promise<HelmfileState> {
  const stdout = await platformHelmfile(toolchain, environment, ['build', ...(options.embedValues ? ['--embed-values'] : [])]);
  const documents = parseAllDocuments(stdout)
    .map((document) => document.toJS() as HelmfileState | null)
    .filter((document) => document !== null);
  if (documents.length !== 1)
    throw new Error(`helmfile build printed ${documents.length} states for environment "${environment}"; expected one`);
  return documents[0]!;
}

/** The merged values of one release, as `helmfile build --embed-values` embeds them. */
export function embeddedValues(state: HelmfileState, release: string): Record<string, unknown> {
  const found = state.releases.find((candidate) => candidate.name === release);
  if (!found) throw new Error(`release "${release}" is not in the helmfile state`);
  return Object.assign({}, ...((found.values ?? []) as Array<Record<string, unknown>>));
}

/** Releases whose chart is a directory of this repository (helmfile/charts/<name>). */
export function isLocalChart(chart: string): boolean {
  return chart.startsWith('./') || chart.startsWith('../');
}

/**
 * Every environment of the platform rendered from the shared charts through the chart mirror:
 * the same render `npm run platform:render` commits to manifests/.
 */
export function renderPlatform(toolchain: RenderToolchain): Promise<EnvironmentManifests[]> {
  return renderEnvironments(platformRenderSettings(), toolchain);
}

/**
 * The platform's render settings: both environments, charts from ../shared/charts through the
 * mirror, values a chart generates on every render kept from the committed manifests/.
 */
export function platformRenderSettings(): RenderSettings {
  return {
    helmfile: PLATFORM_HELMFILE,
    environments: PLATFORM_ENVIRONMENTS,
    cwd: REPOSITORY_ROOT,
    chartMirror: parseChartMirror([requireSharedCharts()], REPOSITORY_ROOT),
    committedManifests: join(REPOSITORY_ROOT, 'manifests'),
  };
}
