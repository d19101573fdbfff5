import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { exportCommit } from '../git/export-commit.js';
import { GitRepository } from '../git/git.js';
import { repositoryRoot } from '../git/working-tree.js';
import { HelmfileCommand } from '../render/helmfile.js';
import {
  discoverEnvironments,
  locateHelmfile,
  readManifestTree,
  renderEnvironmentsSettled,
  RenderError,
  renderErrors,
  withSide,
  type RenderErrorContext,
  type EnvironmentManifests,
  type RenderProgress,
  type RenderSettings,
  type RenderToolchain,
} from '../render/index.js';
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
  /**
   * Whether an asked-for environment the commit does not declare is a failure. Default: on the
   * head only (on the base, the change adds it).
   */
  requireDeclaredEnvironments?: boolean;
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
 * Renders one commit: its files are exported to a temporary directory (the repository's checkout,
 * index and worktrees stay untouched) and each environment is rendered there, so a failing
 * environment does not hide the others. An environment the commit does not declare is not
 * rendered on the base (the change adds it) and is a failure on the head.
 */
export async function renderRevision(
  repository: string,
  side: Side,
  sha: string,
  settings: RevisionSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<RevisionRender> {
  const directory = await mkdtemp(join(tmpdir(), `helmfile-hydrate-${side}-`));
  const sideProgress: RenderProgress = (event) => progress({ ...event, message: `[${side}] ${event.message}` });
  try {
    await exportCommit(repository, sha, directory);
    const render = await renderExport(directory, side, sha, settings, toolchain, sideProgress);
    const failures = render.failures.map((failure) => withoutDirectory(failure, directory));
    return { side, sha, ...render, failures: withSide(side, failures) };
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
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
  const failures =
    (settings.requireDeclaredEnvironments ?? side === 'head')
      ? requested
          .filter((name) => !declared.includes(name))
          .map(
            (name) =>
              new RenderError(
                { environment: name, file: settings.helmfile },
                `the helmfile declares no environment "${name}" (declared: ${declared.join(', ') || 'none'})`,
              ),
          )
      : [];

  if (side === 'base' && settings.trustedBaseManifests) {
    const committed = await readTrustedManifests(directory, helmfile, settings.trustedBaseManifests, names, toolchain);
    if (committed) return { source: 'committed-manifests', environments: committed, failures, declared, missingHelmfile: false };
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
    failures: [...failures, ...rendered.failures],
    declared,
    missingHelmfile: false,
  };
}

export interface RevisionRenderSettings extends RevisionSettings {
  /** Any directory inside the git repository. */
  repository: string;
  /** Git ref of the base side (`origin/main`, a SHA). */
  base: string;
  /** Git ref of the head side; default `HEAD` (the last commit: uncommitted changes are not part of the diff). */
  head?: string;
}

export interface RenderedRevision extends RevisionRender {
  ref: string;
}

export interface RenderedRevisions {
  base: RenderedRevision;
  head: RenderedRevision;
}

/**
 * Renders the base and head commits of a repository (both at once) for `helmfile-hydrate diff`,
 * where any failure ends the command (renderErrors of every failure, each message naming its side and
 * commit). An environment declared on one side only is rendered on that side only (it shows as added or removed).
 */
export async function renderRevisions(
  settings: RevisionRenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<RenderedRevisions> {
  const root = await repositoryRoot(settings.repository);
  const helmfile = repositoryRelativePath(root, settings.repository, settings.helmfile, 'helmfile');
  const git = new GitRepository(root);
  const sides: { side: Side; ref: string }[] = [
    { side: 'base', ref: settings.base },
    { side: 'head', ref: settings.head ?? 'HEAD' },
  ];
  const shas = await Promise.all(sides.map(({ ref }) => git.revParse(ref)));
  // Either side may lack an asked-for environment: the diff shows it added or removed.
  const [base, head] = await Promise.all(
    sides.map(({ side }, index) =>
      renderRevision(root, side, shas[index]!, { ...settings, helmfile, requireDeclaredEnvironments: false }, toolchain, progress),
    ),
  );
  const requested = settings.environments ?? [];
  const unknown = requested.filter((name) => !base!.declared.includes(name) && !head!.declared.includes(name));
  if (unknown.length > 0) {
    const declared = [...new Set([...base!.declared, ...head!.declared])].sort();
    throw new Error(
      `environment ${unknown.map((n) => `"${n}"`).join(', ')} is declared neither on ${sides[0]!.ref} nor on ${sides[1]!.ref} ` +
        `(${helmfile}); declared: ${declared.join(', ') || 'none'}`,
    );
  }
  const renders = [
    { ...base!, ref: sides[0]!.ref },
    { ...head!, ref: sides[1]!.ref },
  ];
  const failures = renders.flatMap((render) => render.failures);
  if (failures.length > 0)
    throw renderErrors(
      failures,
      renders
        .flatMap(({ side, ref, sha, failures }) =>
          failures.map((error) => `${side} ${ref} (${sha.slice(0, 12)}) failed to render:\n${error.message}`),
        )
        .join('\n\n'),
    );
  return { base: renders[0]!, head: renders[1]! };
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
  return new RenderError(context, scrub(error.reason), error.fix);
}

/** A path given on the command line (relative to `cwd`) or absolute, as a path inside the repository. */
function repositoryRelativePath(root: string, cwd: string, path: string, what: string): string {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${what} "${path}" is outside the git repository ${root}; pass a path inside it`);
  return inside.split(sep).join('/') || '.';
}
