import { join } from 'node:path';
import { readCommittedBase } from './committed-base.js';
import { discoverEnvironments, locateHelmfile } from '../render/environments.js';
import { renderEnvironmentsSettled, type RenderProgress, type RenderSettings, type RenderToolchain } from '../render/render.js';
import { RenderError, withSide, type RenderErrorContext } from '../render/errors.js';
import type { EnvironmentManifests } from '../model/manifests.js';
import type { Side } from '../side.js';

/** Render settings for a commit; `helmfile` and `committedManifests` are relative to the repository root. */
export type RevisionSettings = Omit<RenderSettings, 'cwd'>;

/** One commit, rendered (or read from its committed manifests). */
export interface RevisionRender {
  side: Side;
  sha: string;
  /**
   * `render`: a real `helmfile template`; `committed-manifests`: the base side, read from the
   * manifests committed on it (what merge deploys), rendered only for environments it has none of.
   */
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

/** Renders the commit exported to `directory` (the base: reads its committed manifests where it has them); failures not yet tagged with the side. */
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

  // The base side is what main deploys: its committed manifests, wherever it has them. Whatever
  // stops that read (a chart mirror that does not start) is left for the render to report.
  const committed =
    side === 'base' && settings.committedManifests && names.length > 0
      ? await readCommittedBase({
          directory,
          helmfile,
          manifests: settings.committedManifests,
          environments: names,
          toolchain,
          settings,
          progress,
        }).catch(() => ({ environments: [], unread: names }))
      : { environments: [], unread: names };
  const toRender = committed.unread;
  const rendered =
    toRender.length === 0
      ? { environments: [], failures: [] }
      : await renderEnvironmentsSettled(
          {
            helmfile,
            environments: toRender,
            clusterScopedKinds: settings.clusterScopedKinds,
            kubeVersion: settings.kubeVersion,
            chartMirror: settings.chartMirror,
            cwd: directory,
            committedManifests: settings.committedManifests ? join(directory, settings.committedManifests) : undefined,
          },
          toolchain,
          progress,
        );
  const environments = [...committed.environments, ...rendered.environments].sort((a, b) =>
    a.environment < b.environment ? -1 : a.environment > b.environment ? 1 : 0,
  );
  return {
    source: committed.environments.length > 0 ? 'committed-manifests' : 'render',
    environments,
    failures: rendered.failures,
    declared,
    missingHelmfile: false,
  };
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
