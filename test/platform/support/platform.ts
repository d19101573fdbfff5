import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HelmfileCommand } from '../../../src/render/helmfile.js';
import type { HelmfileState as BuiltState, HelmfileStateRelease } from '../../../src/model/helmfile-state.js';
import { parseChartMirror } from '../../../src/render/chart-mirror.js';
import { renderEnvironments, type RenderSettings, type RenderToolchain } from '../../../src/render/render.js';
import type { EnvironmentManifests } from '../../../src/model/manifests.js';
import { requireSharedCharts } from '../../support/shared-charts.js';

/** The repository root: the platform under test is this repository's own helmfile/. */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const PLATFORM_HELMFILE = join(REPOSITORY_ROOT, 'helmfile', 'helmfile.yaml.gotmpl');
export const PLATFORM_ENVIRONMENTS = ['production', 'staging'] as const;
export type PlatformEnvironment = (typeof PLATFORM_ENVIRONMENTS)[number];

/** The platform's helmfile, run through the product's own wrapper (same flags, same error contract). */
export function platformHelmfile(toolchain: RenderToolchain): HelmfileCommand {
  return new HelmfileCommand({
    helmfile: toolchain.helmfile.path,
    helm: toolchain.helm.path,
    file: PLATFORM_HELMFILE,
    cwd: REPOSITORY_ROOT,
    env: toolchain.env,
  });
}

/** The platform's state: one helmfile (no `helmfiles:`), with repositories, environments and releases with a chart and namespace. */
export type PlatformState = Omit<BuiltState, 'releases'> &
  Required<Pick<BuiltState, 'environments' | 'repositories'>> & {
    releases: Array<HelmfileStateRelease & { namespace: string; chart: string }>;
  };

/** `helmfile build` (optionally with every values file rendered and embedded), parsed. */
export async function buildState(
  toolchain: RenderToolchain,
  environment: string,
  options: { embedValues?: boolean } = {},
): Promise<PlatformState> {
  const states = await platformHelmfile(toolchain).buildStates(environment, options);
  if (states.length !== 1) throw new Error(`helmfile build printed ${states.length} states for environment "${environment}"; expected one`);
  const [state] = states;
  const incomplete = state!.releases.find((release) => !release.namespace || !release.chart);
  if (!state!.environments || !state!.repositories || incomplete)
    throw new Error(`the platform's state for "${environment}" lacks environments, repositories or a release's chart and namespace`);
  return state as PlatformState;
}

/** The merged values of one release, as `helmfile build --embed-values` embeds them. */
export function embeddedValues(state: PlatformState, release: string): Record<string, unknown> {
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
