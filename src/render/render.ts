import { availableParallelism } from 'node:os';
import { mapLimited } from '../concurrency/map-limited.js';
import { startChartMirror } from './chart-mirror.js';
import { readManifestTree } from './committed-manifests.js';
import { buildEnvironmentManifests } from './documents.js';
import { discoverEnvironments, locateHelmfile } from './environments.js';
import { RenderError, renderErrors, renderErrorsOf } from './errors.js';
import { HelmfileCommand } from './helmfile.js';
import { templateReleases } from './helmfile-template.js';
import { planEnvironment, planSummary, sameCustomResourceScopes, type EnvironmentPlan } from './incremental-plan.js';
import { keepGeneratedValues } from './keep-generated.js';
import { toolchainVersions } from './release-fingerprints.js';
import { compareWithCommitted, type ManifestDifference } from './manifest-check.js';
import { staleEnvironments, writeManifestTree } from './manifest-tree.js';
import { assertOutputDirectory } from './output-directory.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { RenderProgress, RenderSettings, RenderToolchain } from './settings.js';

export type { RenderProgress, RenderProgressEvent, RenderSettings, RenderToolchain } from './settings.js';

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
    const mirrored = { ...toolchain, helm: { ...toolchain.helm, path: mirror.helm } };
    const file = await locateHelmfile(settings.helmfile);
    const helmfile = new HelmfileCommand({
      helmfile: toolchain.helmfile.path,
      helm: mirror.helm,
      file,
      cwd: settings.cwd,
      env: toolchain.env,
    });
    const context = { file, toolchain: mirrored, mirrorPlan: mirror.plan };
    const tools = await toolchainVersions(toolchain);
    const incremental = await renderPlanned(helmfile, environment, await planEnvironment(helmfile, environment, { ...context, settings }), {
      settings,
      progress,
    });
    if (incremental) return { ...incremental, tools };
    // A rendered release changed whether a kind is namespaced: files kept from the committed
    // manifests may carry a namespace they should not (or lack one); render everything.
    progress({ environment, message: 'a CustomResourceDefinition changed scope: rendering every release' });
    const full = { ...settings, incremental: false };
    const plan = await planEnvironment(helmfile, environment, { ...context, settings: full });
    return { ...(await renderPlanned(helmfile, environment, plan, { settings: full, progress }))!, tools };
  } finally {
    await mirror.close();
  }
}

/**
 * Renders what the plan says and puts the kept releases beside them, in helmfile's order, with
 * the committed values of generated fields. Undefined when a rendered release changed the scope of
 * a kind a kept release uses (the caller renders everything then).
 */
async function renderPlanned(
  helmfile: HelmfileCommand,
  environment: string,
  plan: EnvironmentPlan,
  { settings, progress }: { settings: RenderSettings; progress: RenderProgress },
): Promise<EnvironmentManifests | undefined> {
  const { kept, toRender } = plan;
  progress({ environment, message: planSummary(plan) });
  const outputs = await templateReleases(helmfile, environment, toRender, {
    kubeVersion: settings.kubeVersion,
    selectByName: kept.length > 0,
  });
  let manifests = buildEnvironmentManifests(environment, outputs, settings.clusterScopedKinds, kept);
  assertEveryReleaseRenders(environment, manifests);
  if (kept.length > 0 && !sameCustomResourceScopes(manifests, kept, plan.committedScopes)) return undefined;
  if (plan.committed)
    manifests = await keepGeneratedValues(manifests, outputs, {
      environment,
      helmfile,
      settings,
      progress,
      kept,
      committed: plan.committed.manifests,
    });
  // The order helmfile lists releases in, with the fingerprint each was rendered from.
  const order = new Map(plan.releases.map((release, index) => [release.name, index]));
  const position = (name: string) => order.get(name) ?? order.size;
  manifests = {
    ...manifests,
    helmfileStates: { listed: plan.listed, embedded: plan.embedded },
    releases: manifests.releases
      .map((release) => ({ ...release, fingerprint: plan.fingerprints.get(release.release.name) }))
      .sort((a, b) => position(a.release.name) - position(b.release.name)),
  };
  for (const { release, resources } of manifests.releases) {
    const chart = `${release.chart}${release.version ? `@${release.version}` : ''}`;
    progress({ environment, release: release.name, message: `${chart}: ${resources.length} resource(s)` });
  }
  return manifests;
}

/** A release still in the helmfile that renders nothing would delete its committed manifests: a failure. */
function assertEveryReleaseRenders(environment: string, manifests: EnvironmentManifests): void {
  const empty = manifests.releases.filter(({ resources }) => resources.length === 0);
  if (empty.length === 0) return;
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

function toRenderErrors(reason: unknown, environment: string): RenderError[] {
  if (reason instanceof RenderError) return [reason];
  return renderErrorsOf(reason) ?? [new RenderError({ environment }, reason instanceof Error ? reason.message : String(reason))];
}
