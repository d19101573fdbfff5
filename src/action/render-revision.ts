import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mapLimited } from '../concurrency/map-limited.js';
import { exportCommit } from '../git/export-commit.js';
import { discoverEnvironments, locateHelmfile, renderEnvironment, RenderError, RenderFailure, type EnvironmentManifests, type RenderToolchain } from '../render/index.js';

export type Revision = 'base' | 'head';

export interface RevisionRender {
  revision: Revision;
  sha: string;
  /** Environments that rendered completely. */
  environments: EnvironmentManifests[];
  /** Every failure, naming environment and release. */
  failures: RenderError[];
  /** The revision has no helmfile at all (a base before the repository adopted helmfile). */
  missingHelmfile: boolean;
}

export interface RevisionRenderSettings {
  helmfile: string;
  /** Environments asked for; empty: every environment the revision's helmfile declares. */
  environments: readonly string[];
  clusterScopedKinds: readonly string[];
  kubeVersion?: string;
}

/**
 * Renders one commit: its files are exported to a temporary directory and each environment is
 * rendered there, so a failing environment does not hide the others.
 */
export async function renderRevision(
  repository: string,
  revision: Revision,
  sha: string,
  settings: RevisionRenderSettings,
  toolchain: RenderToolchain,
  log: (message: string) => void,
): Promise<RevisionRender> {
  const directory = await mkdtemp(join(tmpdir(), `helmfile-hydrate-${revision}-`));
  try {
    await exportCommit(repository, sha, directory);
    const helmfilePath = join(directory, settings.helmfile);
    let declared: string[];
    try {
      declared = await discoverEnvironments(await locateHelmfile(helmfilePath));
    } catch (error) {
      if (revision === 'base') {
        log(`base ${sha.slice(0, 12)} has no helmfile at ${settings.helmfile}; everything on head counts as added`);
        return { revision, sha, environments: [], failures: [], missingHelmfile: true };
      }
      return { revision, sha, environments: [], failures: [new RenderError({ file: settings.helmfile }, (error as Error).message)], missingHelmfile: true };
    }
    // An environment the pull request adds does not exist on the base: nothing to render there.
    const names = settings.environments.length === 0 ? declared : revision === 'head' ? [...settings.environments] : settings.environments.filter((name) => declared.includes(name));
    const results = await mapLimited(names, Math.max(1, availableParallelism()), (environment) =>
      renderEnvironment(environment, { helmfile: helmfilePath, clusterScopedKinds: settings.clusterScopedKinds, kubeVersion: settings.kubeVersion, cwd: directory }, toolchain, (event) =>
        log(`${event.environment}${event.release ? `/${event.release}` : ''}: ${event.message}`),
      ),
    );
    const environments: EnvironmentManifests[] = [];
    const failures: RenderError[] = [];
    results.forEach((result, index) => {
      if (result.status === 'fulfilled') environments.push(result.value);
      else if (result.reason instanceof RenderFailure) failures.push(...result.reason.errors);
      else failures.push(new RenderError({ environment: names[index] }, (result.reason as Error).message ?? String(result.reason)));
    });
    return { revision, sha, environments, failures: failures.map((failure) => withoutDirectory(failure, directory)), missingHelmfile: false };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Paths in messages point into the temporary export; the repository-relative path is what a person can open. */
function withoutDirectory(error: RenderError, directory: string): RenderError {
  if (!error.message.includes(directory)) return error;
  const scrubbed = new RenderError(error.context, '');
  scrubbed.message = error.message.split(`${directory}/`).join('').split(directory).join('.');
  return scrubbed;
}
