import { readFile, readdir, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { startChartMirror } from '../render/chart-mirror.js';
import { discoverEnvironments, locateHelmfile } from '../render/environments.js';
import { HelmfileCommand } from '../render/helmfile.js';
import type { HelmfileState, HelmfileStateRelease } from '../model/helmfile-state.js';
import type { RenderSettings, RenderToolchain } from '../render/settings.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { HelmfileRelease } from '../model/release.js';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { isMap, loadChartDirectory, type ChartValues } from './chart-values.js';
import { chartFetchPlan, type EnvironmentFetch } from './chart-fetch-plan.js';
import { findIgnoredKeys } from './ignored-values.js';
import { keyLine } from './key-line.js';
import type { IgnoredValue } from './ignored-value.js';

/** Raised when the check itself cannot run (helmfile failed, a chart cannot be read). */
export class ValuesCheckError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValuesCheckError';
  }
}

/** Where the check runs, and what a render of the same commit already learnt from helmfile. */
export interface ValuesCheckOptions {
  /** Paths in findings are relative to it; default `settings.cwd`, else the current directory. */
  baseDirectory?: string;
  /**
   * The environments as rendered from the same files: their `helmfile list` and `build --embed-values`
   * states are used instead of running helmfile again, and only these environments are checked.
   */
  rendered?: readonly EnvironmentManifests[];
  /** Every environment fetches every chart itself, none reading another's (default false; see chartFetchPlan). */
  fetchEachEnvironment?: boolean;
}

/**
 * Every key the helmfile's values files set that the release's chart neither declares in its
 * values.yaml or values.schema.json nor reads in a template (subcharts and `global` included):
 * helm ignores them without a word. Uses the real helmfile: `build` for the values files, `build --embed-values`
 * for their rendered content (unless a render kept them), `fetch` for the charts (through the chart mirror when set).
 * Environments are checked at once.
 */
export async function findIgnoredValues(
  settings: RenderSettings,
  toolchain: RenderToolchain,
  options: ValuesCheckOptions = {},
): Promise<IgnoredValue[]> {
  const cwd = settings.cwd ?? process.cwd();
  const file = await locateHelmfile(resolve(cwd, settings.helmfile));
  const rendered = new Map((options.rendered ?? []).map((environment) => [environment.environment, environment.helmfileStates]));
  const environments = options.rendered
    ? [...rendered.keys()]
    : settings.environments?.length
      ? [...settings.environments]
      : await discoverEnvironments(file);
  const mirror = await startChartMirror(settings.chartMirror, toolchain.helm.path).catch((error: Error) => {
    throw new ValuesCheckError(error.message);
  });
  try {
    return await withTemporaryDirectory('helmfile-hydrate-values-', async (scratch) => {
      const helmfile = new HelmfileCommand({ helmfile: toolchain.helmfile.path, helm: mirror.helm, file, cwd, env: toolchain.env });
      const plan = chartFetchPlan(
        environments.map((environment) => ({
          environment,
          states: options.fetchEachEnvironment ? undefined : rendered.get(environment)?.embedded,
        })),
      );
      const fetches = new Map(
        environments.map((environment) => [
          environment,
          fetchCharts(helmfile, environment, join(scratch, environment), plan.get(environment)!),
        ]),
      );
      const context: CheckContext = {
        helmfile,
        file,
        baseDirectory: options.baseDirectory ?? cwd,
        scratch,
        plan,
        fetches,
        charts: new Map(),
      };
      // Every check and fetch settles before the scratch directory goes: no helmfile still writes
      // into it. Both are awaited at once, so no failure goes unhandled while the other runs.
      const checks = environments.map((environment) => checkEnvironment(context, environment, rendered.get(environment)));
      const [settled] = await Promise.all([Promise.allSettled(checks), Promise.allSettled(fetches.values())]);
      return settled.flatMap((result) => {
        if (result.status === 'rejected') throw result.reason;
        return result.value;
      });
    });
  } finally {
    await mirror.close();
  }
}

interface CheckContext {
  helmfile: HelmfileCommand;
  /** The helmfile file: values files are relative to its directory. */
  file: string;
  baseDirectory: string;
  /** `<scratch>/<environment>/` holds what `helmfile fetch` of the environment fetched. */
  scratch: string;
  /** Which environment fetches which chart (chartFetchPlan). */
  plan: Map<string, EnvironmentFetch>;
  /** Each environment's fetch, under way. */
  fetches: Map<string, Promise<void>>;
  /** Charts loaded so far, by folder: a chart two environments share is read once. */
  charts: Map<string, Promise<ChartValues>>;
}

/** `helmfile fetch` of the releases the plan gives the environment (none: nothing runs). */
async function fetchCharts(helmfile: HelmfileCommand, environment: string, directory: string, fetch: EnvironmentFetch): Promise<void> {
  if (fetch.releases !== 'all' && fetch.releases.length === 0) return;
  const selectors = fetch.releases === 'all' ? [] : fetch.releases.map((release) => `name=${release}`);
  await helmfile.fetch(environment, directory, selectors).catch((error: unknown) => {
    throw new ValuesCheckError(`${(error as Error).message}\n(the charts' values cannot be checked without their charts)`);
  });
}

/** A release's chart, loaded from the fetch of the environment the plan names (once per folder). */
async function releaseChart(context: CheckContext, environment: string, release: string): Promise<ChartValues> {
  const source = context.plan.get(environment)?.sources.get(release) ?? { environment, release };
  await context.fetches.get(source.environment);
  const directory = join(context.scratch, source.environment, source.release);
  let chart = context.charts.get(directory);
  if (!chart) {
    chart = chartDirectory(directory).then(loadChartDirectory);
    context.charts.set(directory, chart);
  }
  return chart;
}

/** The releases of an environment with their values files and rendered values, once the environment's own fetch is done. */
async function environmentReleases(
  { helmfile, fetches }: CheckContext,
  environment: string,
  states: EnvironmentManifests['helmfileStates'],
): Promise<{ release: HelmfileStateRelease; values: unknown[] }[]> {
  // All settle before a failure is reported: no helmfile is left writing into the scratch directory.
  const settled = await Promise.allSettled([
    states ? states.listed : helmfile.listReleases(environment),
    stateReleases(helmfile, environment, false),
    states?.embedded.length ? installedReleases(states.embedded) : stateReleases(helmfile, environment, true),
    fetches.get(environment),
  ] as const);
  const failed = settled.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  const [listed, files, rendered] = settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as [
    HelmfileRelease[],
    HelmfileStateRelease[],
    HelmfileStateRelease[],
  ];
  const enabled = new Set(listed.filter((release) => release.enabled).map((release) => release.name));
  return files
    .filter((release) => enabled.has(release.name))
    .map((release) => ({ release, values: rendered.find((candidate) => candidate.name === release.name)?.values ?? [] }));
}

async function checkEnvironment(
  context: CheckContext,
  environment: string,
  states: EnvironmentManifests['helmfileStates'],
): Promise<IgnoredValue[]> {
  const { file, baseDirectory } = context;
  const found: IgnoredValue[] = [];
  const sources = new Map<string, string>();
  for (const { release, values: renderedValues } of await environmentReleases(context, environment, states)) {
    const chart = await releaseChart(context, environment, release.name);
    const chartName = release.version ? `${release.chart ?? ''}@${release.version}` : (release.chart ?? '');
    for (const [index, source] of (release.values ?? []).entries()) {
      const values = renderedValues[index];
      if (!isMap(values)) continue;
      const path = typeof source === 'string' && !/^[a-z0-9+.-]+::/i.test(source) ? resolve(dirname(file), source) : file;
      if (!sources.has(path)) sources.set(path, await readFile(path, 'utf8').catch(() => ''));
      for (const ignored of findIgnoredKeys(values, chart)) {
        const line = path === file ? undefined : keyLine(sources.get(path) ?? '', ignored.path);
        found.push({
          environment,
          release: release.name,
          chart: chartName,
          file: displayPath(baseDirectory, path),
          ...(line !== undefined ? { line } : {}),
          key: ignored.path.join('.'),
          ...(ignored.closest ? { closest: ignored.closest.join('.') } : {}),
        });
      }
    }
  }
  return found;
}

function installedReleases(states: readonly HelmfileState[]): HelmfileStateRelease[] {
  return states.flatMap((state) => state.releases.filter((release) => release.installed !== false));
}

async function stateReleases(helmfile: HelmfileCommand, environment: string, embedValues: boolean): Promise<HelmfileStateRelease[]> {
  const states = await helmfile.buildStates(environment, { embedValues }).catch((error: unknown) => {
    throw new ValuesCheckError((error as Error).message);
  });
  return installedReleases(states);
}

/** `helmfile fetch` leaves a local chart at `<release>/`, a remote one at `<release>/<chart>/`. */
async function chartDirectory(directory: string): Promise<string> {
  if (await isFile(join(directory, 'Chart.yaml'))) return directory;
  for (const entry of await readdir(directory, { withFileTypes: true }).catch(() => [])) {
    if (entry.isDirectory() && (await isFile(join(directory, entry.name, 'Chart.yaml')))) return join(directory, entry.name);
  }
  throw new ValuesCheckError(`helmfile fetch left no chart in ${directory}`);
}

function isFile(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isFile(),
    () => false,
  );
}

function displayPath(baseDirectory: string, path: string): string {
  const inside = relative(baseDirectory, path);
  return (inside.startsWith('..') || isAbsolute(inside) ? path : inside).split(sep).join('/');
}
