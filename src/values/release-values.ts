import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { startChartMirror } from '../render/chart-mirror.js';
import { discoverEnvironments, locateHelmfile } from '../render/environments.js';
import { HelmfileCommand, tail } from '../render/helmfile.js';
import type { RenderSettings, RenderToolchain } from '../render/render.js';
import { isMap, loadChartDirectory } from './chart-values.js';
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

interface StateRelease {
  name: string;
  chart: string;
  version?: string;
  installed?: boolean;
  values?: unknown[];
}

/**
 * Every key the helmfile's values files set that the release's chart neither declares in its
 * values.yaml or values.schema.json nor reads in a template (subcharts and `global` included):
 * helm ignores them without a word. Uses the real helmfile: `build` for the values files, `build --embed-values`
 * for their rendered content, `fetch` for the charts (through the chart mirror when set).
 * Paths are relative to `baseDirectory` (default: `settings.cwd`, else the current directory).
 */
export async function findIgnoredValues(
  settings: RenderSettings,
  toolchain: RenderToolchain,
  baseDirectory?: string,
): Promise<IgnoredValue[]> {
  const cwd = settings.cwd ?? process.cwd();
  const file = await locateHelmfile(resolve(cwd, settings.helmfile));
  const environments = settings.environments?.length ? [...settings.environments] : await discoverEnvironments(file);
  const mirror = await startChartMirror(settings.chartMirror, toolchain.helm.path).catch((error: Error) => {
    throw new ValuesCheckError(error.message);
  });
  const scratch = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-values-'));
  try {
    const helmfile = new HelmfileCommand({ helmfile: toolchain.helmfile.path, helm: mirror.helm, file, cwd, env: toolchain.env });
    const found: IgnoredValue[] = [];
    for (const environment of environments) {
      found.push(...(await checkEnvironment(helmfile, environment, file, join(scratch, environment), baseDirectory ?? cwd)));
    }
    return found;
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await mirror.close();
  }
}

async function checkEnvironment(
  helmfile: HelmfileCommand,
  environment: string,
  file: string,
  charts: string,
  baseDirectory: string,
): Promise<IgnoredValue[]> {
  const enabled = new Set((await helmfile.listReleases(environment)).filter((release) => release.enabled).map((release) => release.name));
  const [files, rendered, fetched] = await Promise.all([
    stateReleases(helmfile, environment, false),
    stateReleases(helmfile, environment, true),
    helmfile.fetch(environment, charts),
  ]);
  if (fetched.exitCode !== 0)
    throw new ValuesCheckError(
      `helmfile fetch failed for environment "${environment}", so the charts' values cannot be ` +
        `checked:\n${tail(fetched.stderr || fetched.stdout)}`,
    );
  const found: IgnoredValue[] = [];
  const sources = new Map<string, string>();
  for (const release of files.filter((candidate) => enabled.has(candidate.name))) {
    const chart = await loadChartDirectory(await chartDirectory(join(charts, release.name)));
    const renderedValues = rendered.find((candidate) => candidate.name === release.name)?.values ?? [];
    const chartName = release.version ? `${release.chart}@${release.version}` : release.chart;
    for (const [index, source] of (release.values ?? []).entries()) {
      const values = renderedValues[index];
      if (!isMap(values)) continue;
      const path = typeof source === 'string' && !/^[a-z0-9+.-]+::/i.test(source) ? resolve(dirname(file), source) : file;
      if (!sources.has(path)) sources.set(path, await readFile(path, 'utf8').catch(() => ''));
      for (const ignored of findIgnoredKeys(values, chart)) {
        const line = path === file ? undefined : keyLine(sources.get(path)!, ignored.path);
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

async function stateReleases(helmfile: HelmfileCommand, environment: string, embedValues: boolean): Promise<StateRelease[]> {
  const result = await helmfile.build(environment, { embedValues });
  if (result.exitCode !== 0)
    throw new ValuesCheckError(
      `helmfile build${embedValues ? ' --embed-values' : ''} failed for environment ` +
        `"${environment}":\n${tail(result.stderr || result.stdout)}`,
    );
  return parseAllDocuments(result.stdout)
    .map((document) => document.toJS() as { releases?: StateRelease[] } | null)
    .flatMap((state) => (state?.releases ?? []).filter((release) => release.installed !== false));
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
