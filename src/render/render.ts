import { readdir, readFile, rm, mkdtemp } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { startChartMirror, type ChartMirrorPlan, type ChartMirrorSettings } from './chart-mirror.js';
import { readOwnershipRecord } from './ownership.js';
import { compareWithCommitted, type ManifestDifference } from './manifest-check.js';
import { releaseFingerprints } from './release-fingerprints.js';
import { buildEnvironmentManifests, type ReleaseRenderOutput, type RenderedFile } from './documents.js';
import { discoverEnvironments, locateHelmfile } from './environments.js';
import { RenderError, renderErrors, renderErrorsOf } from './errors.js';
import { outputTail } from '../process/run-program.js';
import { HelmfileCommand, HelmfileError } from './helmfile.js';
import { readManifestTree } from './committed-manifests.js';
import { differingPaths, keepCommittedValues, type GeneratedField } from './generated-values.js';
import { assertOutputDirectory, staleEnvironments, writeManifestTree } from './manifest-tree.js';
import type { HelmfileRelease } from './release.js';
import type { EnvironmentManifests, ReleaseManifests } from './resource.js';

export interface RenderSettings {
  /** helmfile.yaml(.gotmpl) or its directory. */
  helmfile: string;
  /** Environments to render; all declared ones when empty. */
  environments?: readonly string[];
  /** Extra cluster-scoped kinds (`Kind` or `Kind.group`) for custom resources without a CRD in the render. */
  clusterScopedKinds?: readonly string[];
  /**
   * The cluster's Kubernetes version, for charts that branch on `.Capabilities.KubeVersion`.
   * Unset: the helmfile's own `kubeVersion`, else helm's default.
   */
  kubeVersion?: string;
  /** Where charts are fetched from instead of the helmfile's repositories (see chart-mirror.ts). */
  chartMirror?: ChartMirrorSettings;
  cwd?: string;
  /**
   * Directory of the manifests committed so far (`<environment>/<release>/...`). Fields a chart
   * generates anew on every render keep the values committed there, so unchanged inputs never
   * change committed bytes (see generated-values.ts).
   */
  committedManifests?: string;
  /**
   * With `committedManifests`: releases whose input fingerprint equals the one recorded there keep
   * their committed files and are not rendered (default true). `false` renders everything, as
   * `render --check` does to prove the committed files current.
   */
  incremental?: boolean;
}

/** The binaries and environment a render runs with; see `prepareToolchain`. */
export interface RenderToolchain {
  /** `version` when known (prepareToolchain); probed once otherwise, for release fingerprints. */
  helm: { path: string; version?: string };
  helmfile: { path: string; version?: string };
  env: Record<string, string>;
}

export interface RenderProgressEvent {
  environment: string;
  release?: string;
  message: string;
}

export type RenderProgress = (event: RenderProgressEvent) => void;

/** Renders one environment with the real `helmfile template`; throws a RenderError, or renderErrors of several. */
export async function renderEnvironment(
  environment: string,
  settings: RenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<EnvironmentManifests> {
  const mirror = await startChartMirror(settings.chartMirror, toolchain.helm.path).catch((error: Error) => {
    throw new RenderError({ environment }, error.message);
  });
  try {
    return await renderWithHelm(
      environment,
      settings,
      { ...toolchain, helm: { ...toolchain.helm, path: mirror.helm } },
      progress,
      mirror.plan,
    );
  } finally {
    await mirror.close();
  }
}

async function renderWithHelm(
  environment: string,
  settings: RenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress,
  mirrorPlan: ChartMirrorPlan | undefined,
): Promise<EnvironmentManifests> {
  const file = await locateHelmfile(settings.helmfile);
  const helmfile = new HelmfileCommand({
    helmfile: toolchain.helmfile.path,
    helm: toolchain.helm.path,
    file,
    cwd: settings.cwd,
    env: toolchain.env,
  });
  // `helmfile list`, `helmfile build` (the fingerprints) and reading the committed manifests need
  // nothing from each other: at once. All three settle before a failure is reported, so no helmfile
  // is still running when the render ends.
  // Without a state every release is rendered: the render itself then reports what is wrong.
  const embedded = settings.committedManifests ? helmfile.buildStates(environment, { embedValues: true }).catch(() => []) : undefined;
  const [listed, fingerprinted, read] = await Promise.allSettled([
    helmfile.listReleases(environment),
    embedded
      ? embedded.then((states) => releaseFingerprints(states, { helmfileFile: file, toolchain, settings, mirrorPlan }))
      : new Map<string, string | undefined>(),
    // Read once: the unchanged releases keep these files, the generated values take theirs from them.
    settings.committedManifests ? readCommittedEnvironment(settings.committedManifests, environment) : undefined,
  ]);
  if (listed.status === 'rejected') throw new RenderError({ environment }, (listed.reason as Error).message);
  if (fingerprinted.status === 'rejected') throw fingerprinted.reason;
  if (read.status === 'rejected') throw read.reason;
  const releases = listed.value.filter((release) => release.enabled);
  const fingerprints = fingerprinted.value;
  const committed = read.value;
  assertUniqueReleaseNames(environment, releases);
  const { kept, committedScopes } =
    settings.incremental === false || !committed
      ? { kept: [], committedScopes: new Map<string, string>() }
      : await unchangedReleases(environment, releases, fingerprints, settings.committedManifests!, committed);
  const toRender = releases.filter((release) => !kept.some((entry) => entry.release.name === release.name));
  progress({
    environment,
    message:
      kept.length > 0
        ? `rendering ${toRender.length} of ${releases.length} release(s); ${kept.length} unchanged since the committed manifests`
        : `rendering ${releases.length} release(s)`,
  });

  const workspace = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-render-'));
  try {
    const outputs: ReleaseRenderOutput[] = [];
    if (toRender.length > 0) {
      const selectors = kept.length > 0 ? toRender.map((release) => `name=${release.name}`) : [];
      try {
        await helmfile.template(environment, workspace, { kubeVersion: settings.kubeVersion, selectors });
      } catch (error) {
        if (!(error instanceof HelmfileError)) throw error;
        throw renderErrors(await attributeFailure(helmfile, environment, toRender, error, settings.kubeVersion));
      }
    }
    for (const release of toRender) outputs.push({ release, files: await readRenderedFiles(join(workspace, release.name)) });
    let manifests = buildEnvironmentManifests(environment, outputs, settings.clusterScopedKinds, kept);
    const empty = manifests.releases.filter(({ resources }) => resources.length === 0);
    if (empty.length > 0) {
      throw renderErrors(
        empty.map(
          ({ release }) =>
            new RenderError(
              { environment, release: release.name, chart: release.chart },
              'the release renders no resources although it is still in the helmfile; its committed manifests are kept. Fix ' +
                'the chart or values, or remove the release (or set installed: false) to delete them',
            ),
        ),
      );
    }
    if (kept.length > 0 && !sameCustomResourceScopes(manifests, kept, committedScopes)) {
      // A rendered release changed whether a kind is namespaced: files kept from the committed
      // manifests may carry a namespace they should not (or lack one); render everything.
      progress({ environment, message: 'a CustomResourceDefinition changed scope: rendering every release' });
      return await renderWithHelm(environment, { ...settings, incremental: false }, toolchain, progress, mirrorPlan);
    }
    if (committed) {
      manifests = await keepGeneratedValues(manifests, outputs, {
        environment,
        helmfile,
        settings,
        progress,
        kept,
        committed: committed.manifests,
      });
    }
    // The order helmfile lists releases in, with the fingerprint each was rendered from.
    const order = new Map(releases.map((release, index) => [release.name, index]));
    manifests = {
      ...manifests,
      helmfileStates: { listed: listed.value, embedded: (await embedded) ?? [] },
      releases: manifests.releases
        .map((release) => ({ ...release, fingerprint: fingerprints.get(release.release.name) }))
        .sort((a, b) => order.get(a.release.name)! - order.get(b.release.name)!),
    };
    for (const { release, resources } of manifests.releases) {
      progress({
        environment,
        release: release.name,
        message: `${release.chart}${release.version ? `@${release.version}` : ''}: ${resources.length} resource(s)`,
      });
    }
    return manifests;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
}

/**
 * Renders the releases whose resources differ from the committed ones a second time: whatever
 * differs between the two renders of the same inputs is generated by the chart, and gets the
 * committed value back. Releases identical to what is committed are not rendered again.
 */
async function keepGeneratedValues(
  manifests: EnvironmentManifests,
  outputs: readonly ReleaseRenderOutput[],
  context: {
    environment: string;
    helmfile: HelmfileCommand;
    settings: RenderSettings;
    progress: RenderProgress;
    kept: readonly ReleaseManifests[];
    committed: EnvironmentManifests | undefined;
  },
): Promise<EnvironmentManifests> {
  const { environment, helmfile, settings, progress, kept, committed } = context;
  const committedByPath = new Map(
    (committed?.releases ?? []).flatMap(({ resources }) => resources.map((resource) => [resource.path, resource] as const)),
  );
  if (committedByPath.size === 0) return manifests;
  const changed = new Set(
    manifests.releases
      .filter(({ resources }) => resources.some((resource) => committedByPath.get(resource.path)?.content !== resource.content))
      .map(({ release }) => release.name),
  );
  if (changed.size === 0) return manifests;
  const workspace = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-rerender-'));
  let second: EnvironmentManifests;
  try {
    await helmfile.template(environment, workspace, {
      selectors: [...changed].map((name) => `name=${name}`),
      kubeVersion: settings.kubeVersion,
    });
    const secondOutputs = await Promise.all(
      outputs.map(async (output) =>
        changed.has(output.release.name)
          ? { release: output.release, files: await readRenderedFiles(join(workspace, output.release.name)) }
          : output,
      ),
    );
    second = buildEnvironmentManifests(environment, secondOutputs, settings.clusterScopedKinds, kept);
  } catch (error) {
    progress({
      environment,
      message:
        `could not render again to find generated values (${(error as Error).message.split('\n')[0]}); generated values ` +
        `are committed as rendered`,
    });
    return manifests;
  } finally {
    await rm(workspace, { recursive: true, force: true });
  }
  const secondByPath = new Map(second.releases.flatMap(({ resources }) => resources.map((resource) => [resource.path, resource] as const)));
  const generated: GeneratedField[] = [];
  const releases = manifests.releases.map((release) => {
    if (!changed.has(release.release.name)) return release;
    const resources = release.resources.map((resource) => {
      const again = secondByPath.get(resource.path);
      if (!again || again.content === resource.content) return resource;
      const paths = differingPaths(resource.object, again.object).filter((path) => path.length > 0);
      const result = keepCommittedValues(resource, committedByPath.get(resource.path), paths);
      const field = (path: (string | number)[], outcome: GeneratedField['outcome']): GeneratedField => ({
        environment,
        release: release.release.name,
        resource: resource.key,
        path,
        outcome,
      });
      generated.push(...result.kept.map((path) => field(path, 'kept')), ...result.fresh.map((path) => field(path, 'new')));
      return result.resource;
    });
    return { ...release, resources };
  });
  if (generated.length > 0)
    progress({
      environment,
      message:
        `${generated.length} generated value(s) found; committed values kept for ` +
        `${generated.filter((field) => field.outcome === 'kept').length}`,
    });
  return { ...manifests, releases, generated };
}

interface CommittedEnvironment {
  /** Undefined when the directory cannot be read. */
  manifests: EnvironmentManifests | undefined;
  /** Files that are not one well-formed resource. */
  problems: number;
}

async function readCommittedEnvironment(directory: string, environment: string): Promise<CommittedEnvironment> {
  let problems = 0;
  try {
    const [manifests] = await readManifestTree(directory, [environment], { onProblem: () => problems++ });
    return { manifests, problems };
  } catch {
    return { manifests: undefined, problems };
  }
}

/**
 * Releases whose input fingerprint equals the one recorded with the committed manifests: their
 * committed files are what a render would write, so they are kept as they are.
 */
async function unchangedReleases(
  environment: string,
  releases: readonly HelmfileRelease[],
  fingerprints: ReadonlyMap<string, string | undefined>,
  committedManifests: string,
  { manifests: committed, problems }: CommittedEnvironment,
): Promise<{ kept: ReleaseManifests[]; committedScopes: Map<string, string> }> {
  const none = { kept: [], committedScopes: new Map<string, string>() };
  if (fingerprints.size === 0) return none;
  const recorded = (await readOwnershipRecord(committedManifests).catch(() => undefined))?.fingerprints?.[environment] ?? {};
  const matching = releases.filter((release) => {
    const fingerprint = fingerprints.get(release.name);
    return fingerprint !== undefined && recorded[release.name] === fingerprint;
  });
  if (matching.length === 0) return none;
  // A hand-edited, unreadable committed file is rendered again rather than trusted.
  if (!committed || problems > 0) return none;
  const kept = matching.flatMap((release) => {
    const files = committed!.releases.find((entry) => entry.release.name === release.name);
    return files && files.resources.length > 0
      ? [{ release, resources: files.resources, fingerprint: fingerprints.get(release.name), origin: 'committed' as const }]
      : [];
  });
  return { kept, committedScopes: customResourceScopes(committed.releases) };
}

/** Scope per custom kind (`Kind.group`) as the CustomResourceDefinitions among these releases declare it. */
function customResourceScopes(releases: readonly ReleaseManifests[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const { resources } of releases) {
    for (const { object } of resources) {
      if (object.kind !== 'CustomResourceDefinition') continue;
      const spec = (object.spec ?? {}) as { group?: string; scope?: string; names?: { kind?: string } };
      if (spec.group && spec.names?.kind) result.set(`${spec.names.kind}.${spec.group}`, spec.scope ?? 'Namespaced');
    }
  }
  return result;
}

/**
 * Whether every kind the kept files use has the scope it had when they were written: a rendered
 * release may ship the CRD that decides whether a kept custom resource carries a namespace.
 */
function sameCustomResourceScopes(
  manifests: EnvironmentManifests,
  kept: readonly ReleaseManifests[],
  committedScopes: ReadonlyMap<string, string>,
): boolean {
  const scopes = customResourceScopes(manifests.releases);
  const keptKinds = new Set(kept.flatMap(({ resources }) => resources.map((resource) => `${resource.key.kind}.${resource.key.group}`)));
  return [...keptKinds].every((kind) => scopes.get(kind) === committedScopes.get(kind));
}

/** Environments that rendered, and every failure of those that did not. */
export interface SettledRender {
  environments: EnvironmentManifests[];
  failures: RenderError[];
}

/**
 * Renders every environment (in parallel) and settles each: a failing environment does not hide
 * the others. `environments` empty: every environment the helmfile declares.
 */
export async function renderEnvironmentsSettled(
  settings: RenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<SettledRender> {
  const names = settings.environments?.length
    ? [...settings.environments]
    : await discoverEnvironments(await locateHelmfile(settings.helmfile));
  const results = await mapLimited(names, Math.max(1, availableParallelism()), (environment) =>
    renderEnvironment(environment, settings, toolchain, progress),
  );
  const environments: EnvironmentManifests[] = [];
  const failures: RenderError[] = [];
  results.forEach((result, index) => {
    if (result.status === 'fulfilled') environments.push(result.value);
    else failures.push(...toRenderErrors(result.reason, names[index]!));
  });
  return { environments, failures };
}

/** Renders every environment (in parallel); fails with every error if any environment fails. */
export async function renderEnvironments(
  settings: RenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<EnvironmentManifests[]> {
  const { environments, failures } = await renderEnvironmentsSettled(settings, toolchain, progress);
  if (failures.length > 0) throw renderErrors(failures);
  return environments;
}

/**
 * Renders every release of the environments (fingerprints ignored) and compares the result with
 * the files committed in `outputDir`: writes nothing. Empty when the committed files are current.
 */
export async function checkManifests(
  settings: RenderSettings & { outputDir: string },
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<ManifestDifference[]> {
  const helmfile = await locateHelmfile(settings.helmfile);
  const environments = await renderEnvironments(
    { ...settings, committedManifests: settings.outputDir, incremental: false },
    toolchain,
    progress,
  );
  const names = settings.environments?.length ? [...settings.environments] : await discoverEnvironments(helmfile);
  const committed = await readManifestTree(settings.outputDir, [
    ...new Set([...names, ...(await staleEnvironments(settings.outputDir, names))]),
  ]);
  return compareWithCommitted(environments, committed);
}

/**
 * Renders and writes `outputDir/<environment>/<release>/<resource>.yaml`. Nothing is written
 * unless every environment rendered: committed manifests are never lost to a failed render.
 */
export async function hydrate(
  settings: RenderSettings & { outputDir: string; repositoryRoot?: string },
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<EnvironmentManifests[]> {
  const helmfile = await locateHelmfile(settings.helmfile);
  await assertOutputDirectory(settings.outputDir, { helmfile, repositoryRoot: settings.repositoryRoot });
  const environments = await renderEnvironments({ committedManifests: settings.outputDir, ...settings }, toolchain, progress);
  // Rendering every declared environment also retires the directories of environments removed from the helmfile.
  const removeEnvironments = settings.environments?.length
    ? []
    : await staleEnvironments(settings.outputDir, await discoverEnvironments(helmfile));
  for (const environment of removeEnvironments)
    progress({ environment, message: 'no longer declared in the helmfile: removing its rendered files' });
  await writeManifestTree(settings.outputDir, environments, { removeEnvironments });
  return environments;
}

function assertUniqueReleaseNames(environment: string, releases: readonly HelmfileRelease[]): void {
  const seen = new Map<string, HelmfileRelease>();
  for (const release of releases) {
    const other = seen.get(release.name);
    if (other) {
      throw new RenderError(
        { environment, release: release.name },
        `two releases are named "${release.name}" (namespaces "${other.namespace}" and "${release.namespace}"); manifests are ` +
          `stored per release name, so rename one`,
      );
    }
    seen.set(release.name, release);
  }
}

/**
 * helmfile stops at the first failing release and its message does not always say which one;
 * rendering each release on its own names every failing release with helm's own message.
 */
async function attributeFailure(
  helmfile: HelmfileCommand,
  environment: string,
  releases: readonly HelmfileRelease[],
  failure: HelmfileError,
  kubeVersion: string | undefined,
): Promise<RenderError[]> {
  const results = await mapLimited(releases, Math.max(1, availableParallelism()), async (release) => {
    const workspace = await mkdtemp(join(tmpdir(), 'helmfile-hydrate-release-'));
    try {
      await helmfile.template(environment, workspace, { selectors: [`name=${release.name}`], kubeVersion });
      return undefined;
    } catch (error) {
      if (!(error instanceof HelmfileError)) throw error;
      return new RenderError(
        { environment, release: release.name, chart: release.chart },
        `helmfile template failed:\n${outputTail(error.result.stderr)}`,
      );
    } finally {
      await rm(workspace, { recursive: true, force: true });
    }
  });
  const errors = results.flatMap((result) => (result.status === 'fulfilled' && result.value ? [result.value] : []));
  return errors.length > 0 ? errors : [new RenderError({ environment }, `helmfile template failed:\n${outputTail(failure.result.stderr)}`)];
}

async function readRenderedFiles(directory: string): Promise<RenderedFile[]> {
  let entries: string[];
  try {
    entries = (await readdir(directory, { recursive: true, withFileTypes: true }))
      // Every file helm writes holds documents, whatever its name (`.tpl`, `.json`, none).
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name));
  } catch {
    return [];
  }
  entries.sort();
  return Promise.all(
    entries.map(async (path) => ({ path: relative(directory, path).split(sep).join('/'), text: await readFile(path, 'utf8') })),
  );
}

function toRenderErrors(reason: unknown, environment: string): RenderError[] {
  if (reason instanceof RenderError) return [reason];
  return renderErrorsOf(reason) ?? [new RenderError({ environment }, reason instanceof Error ? reason.message : String(reason))];
}
