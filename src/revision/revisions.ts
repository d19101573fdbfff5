import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { HelmfileCommand } from '../render/helmfile.js';
import { discoverEnvironments, locateHelmfile } from '../render/environments.js';
import { readManifestTree } from '../render/committed-manifests.js';
import { renderEnvironmentsSettled, type RenderProgress, type RenderSettings, type RenderToolchain } from '../render/render.js';
import { RenderError, withSide, type RenderErrorContext } from '../render/errors.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { Side } from '../side.js';

/** Render settings for a commit; `helmfile` is relative to the repository root. */
export interface RevisionSettings extends Omit<RenderSettings, 'cwd'> {
  // committedManifests: relative to the repository root, read from the commit being rendered.
  /**
   * When set, the base side is read from the manifests committed on the base at this path
   * (relative to the repository root) instead of being rendered: faster, and right when the
   * repository's policy is that committed manifests always match the helmfile. Falls back to
   * rendering when the base has no such directory.
   */
  trustedBaseManifests?: string;
}

/** One commit, rendered (or read from its committed manifests). */
export interface RevisionRender {
  side: Side;
  sha: string;
  /** `render`: a real `helmfile template`; `committed-manifests`: read from the base commit. */
  source: 'render' | 'committed-manifests';
  /** Environments that rendered completely. */
  environments: EnvironmentManifests[];
  /** Every failure, naming environment and release, tagged with this side; other environments still render. */
  failures: RenderError[];
  /** Environments the commit's helmfile declares. */
  declared: string[];
  /** The commit has no helmfile at all (a base before the repository adopted helmfile). */
  missingHelmfile: boolean;
}

/**
 * Renders one commit exported to `directory`, so that a failing environment does not hide the
 * others. An asked-for environment the commit does not declare is not rendered (the other side may
 * declare it: see compare/render-sides.ts). Failures name repository paths (not the export's) and carry the side.
 */
export async function renderExportedRevision(
  directory: string,
  side: Side,
  sha: string,
  settings: RevisionSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<RevisionRender> {
  const sideProgress: RenderProgress = (event) => progress({ ...event, message: `[${side}] ${event.message}` });
  const render = await renderExport(directory, side, sha, settings, toolchain, sideProgress);
  const failures = render.failures.map((failure) => withoutDirectory(failure, directory));
  return { side, sha, ...render, failures: withSide(side, failures) };
}

/** Renders the commit exported to `directory` (or reads its trusted manifests); failures not yet tagged with the side. */
async function renderExport(
  directory: string,
  side: Side,
  sha: string,
  settings: RevisionSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress,
): Promise<Omit<RevisionRender, 'side' | 'sha'>> {
  let helmfile: string;
  try {
    helmfile = await locateHelmfile(join(directory, settings.helmfile));
  } catch (error) {
    const failures = side === 'head' ? [new RenderError({ file: settings.helmfile }, (error as Error).message)] : [];
    if (side === 'base')
      progress({
        environment: '*',
        message: `${sha.slice(0, 12)} has no helmfile at ${settings.helmfile}; everything on head counts as added`,
      });
    return { source: 'render', environments: [], failures, declared: [], missingHelmfile: true };
  }
  const declared = await discoverEnvironments(helmfile);
  const requested = settings.environments?.length ? [...settings.environments] : declared;
  const names = requested.filter((name) => declared.includes(name));

  if (side === 'base' && settings.trustedBaseManifests) {
    const committed = await readTrustedManifests(directory, helmfile, settings.trustedBaseManifests, names, toolchain);
    if (committed) return { source: 'committed-manifests', environments: committed, failures: [], declared, missingHelmfile: false };
    progress({ environment: '*', message: `no ${settings.trustedBaseManifests}/ on ${sha.slice(0, 12)}: rendering it instead` });
  }

  const rendered =
    names.length === 0
      ? { environments: [], failures: [] }
      : await renderEnvironmentsSettled(
          {
            helmfile,
            environments: names,
            clusterScopedKinds: settings.clusterScopedKinds,
            kubeVersion: settings.kubeVersion,
            chartMirror: settings.chartMirror,
            cwd: directory,
            committedManifests: settings.committedManifests ? join(directory, settings.committedManifests) : undefined,
          },
          toolchain,
          progress,
        );
  return {
    source: 'render',
    environments: rendered.environments,
    failures: rendered.failures,
    declared,
    missingHelmfile: false,
  };
}

async function readTrustedManifests(
  directory: string,
  helmfile: string,
  manifests: string,
  environments: string[],
  toolchain: RenderToolchain,
): Promise<EnvironmentManifests[] | undefined> {
  const committedDirectory = join(directory, manifests);
  if (
    !(await stat(committedDirectory)
      .then((s) => s.isDirectory())
      .catch(() => false))
  )
    return undefined;
  const committed = await readManifestTree(committedDirectory, environments);
  // Committed files do not say which chart and version made them; `helmfile list` does, cheaply.
  const command = new HelmfileCommand({
    helmfile: toolchain.helmfile.path,
    helm: toolchain.helm.path,
    file: helmfile,
    cwd: directory,
    env: toolchain.env,
  });
  await Promise.all(
    committed.map(async (environment) => {
      const listed = await command.listReleases(environment.environment).catch(() => []);
      for (const release of environment.releases) {
        const match = listed.find((entry) => entry.name === release.release.name);
        if (match) release.release = match;
      }
    }),
  );
  return committed;
}

/** Paths in messages point into the temporary export; the repository-relative path is what a person can open. */
function withoutDirectory(error: RenderError, directory: string): RenderError {
  if (!error.message.includes(directory)) return error;
  const scrub = (text: string) => text.split(`${directory}/`).join('').split(directory).join('.');
  const context: RenderErrorContext = Object.fromEntries(
    Object.entries(error.context).map(([key, value]) => [key, typeof value === 'string' ? scrub(value) : value]),
  );
  return new RenderError(context, scrub(error.reason));
}
