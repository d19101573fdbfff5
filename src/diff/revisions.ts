import { stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { GitRepository } from '../git/git.js';
import { repositoryRoot, withWorktrees, type Worktree } from '../git/worktree.js';
import { discoverEnvironments, locateHelmfile, readManifestTree, renderEnvironments, type EnvironmentManifests, type RenderProgress, type RenderToolchain } from '../render/index.js';
import { HelmfileCommand } from '../render/helmfile.js';

export interface RevisionRenderSettings {
  /** Any directory inside the git repository. */
  repository: string;
  /** Git ref of the base side (`origin/main`, a SHA). */
  base: string;
  /** Git ref of the head side; default `HEAD` (the last commit: uncommitted changes are not part of the diff). */
  head?: string;
  /** helmfile.yaml(.gotmpl) or its directory: absolute inside the repository, or relative to its root. */
  helmfile: string;
  /** Environments to compare; default every environment declared on either side. */
  environments?: readonly string[];
  clusterScopedKinds?: readonly string[];
  /**
   * When set, the base side is read from the manifests committed on the base at this path
   * (relative to the repository root) instead of being rendered: faster, and right when the
   * repository's policy is that committed manifests always match the helmfile. Falls back to
   * rendering when the base has no such directory.
   */
  trustedBaseManifests?: string;
}

export interface RenderedRevision {
  side: 'base' | 'head';
  ref: string;
  sha: string;
  /** `render`: a real `helmfile template`; `committed-manifests`: read from the base commit. */
  source: 'render' | 'committed-manifests';
  environments: EnvironmentManifests[];
}

export interface RenderedRevisions {
  base: RenderedRevision;
  head: RenderedRevision;
}

/** Raised when either side fails to render; names the side and commit of every failure. */
export class RevisionRenderFailure extends Error {
  constructor(readonly failures: ReadonlyArray<{ side: 'base' | 'head'; ref: string; sha: string; error: Error }>) {
    super(failures.map(({ side, ref, sha, error }) => `${side} ${ref} (${sha.slice(0, 12)}) failed to render:\n${error.message}`).join('\n\n'));
    this.name = 'RevisionRenderFailure';
  }
}

/**
 * Renders the base and head commits of a repository: each is checked out into a temporary
 * detached git worktree and rendered with the real helmfile, both at once. Worktrees are
 * always removed. An environment declared on one side only is rendered on that side only (it
 * shows as added or removed); a commit without the helmfile has no environments.
 */
export async function renderRevisions(settings: RevisionRenderSettings, toolchain: RenderToolchain, progress: RenderProgress = () => {}): Promise<RenderedRevisions> {
  const root = await repositoryRoot(settings.repository);
  const helmfile = repositoryRelativePath(root, settings.repository, settings.helmfile, 'helmfile');
  const repository = new GitRepository(root);
  const baseRef = settings.base;
  const headRef = settings.head ?? 'HEAD';
  return withWorktrees(
    repository,
    [
      { ref: baseRef, label: 'base' },
      { ref: headRef, label: 'head' },
    ],
    async ([baseTree, headTree]) => {
      const [baseEnvironments, headEnvironments] = await Promise.all([sideEnvironments(baseTree!, helmfile), sideEnvironments(headTree!, helmfile)]);
      const requested = settings.environments?.length ? [...settings.environments] : undefined;
      if (requested) {
        const unknown = requested.filter((name) => !baseEnvironments.includes(name) && !headEnvironments.includes(name));
        if (unknown.length > 0) {
          const declared = [...new Set([...baseEnvironments, ...headEnvironments])].sort();
          throw new Error(`environment ${unknown.map((n) => `"${n}"`).join(', ')} is declared neither on ${baseRef} nor on ${headRef} (${helmfile}); declared: ${declared.join(', ') || 'none'}`);
        }
      }
      const pick = (declared: string[]) => (requested ? requested.filter((name) => declared.includes(name)) : declared);
      const sides = [
        { side: 'base' as const, ref: baseRef, tree: baseTree!, environments: pick(baseEnvironments) },
        { side: 'head' as const, ref: headRef, tree: headTree!, environments: pick(headEnvironments) },
      ];
      const results = await Promise.allSettled(
        sides.map(async ({ side, ref, tree, environments }): Promise<RenderedRevision> => {
          const sideProgress: RenderProgress = (event) => progress({ ...event, message: `[${side}] ${event.message}` });
          if (side === 'base' && settings.trustedBaseManifests) {
            const committed = await readTrustedManifests(tree, helmfile, settings.trustedBaseManifests, environments, toolchain);
            if (committed) return { side, ref, sha: tree.sha, source: 'committed-manifests', environments: committed };
            sideProgress({ environment: '*', message: `no ${settings.trustedBaseManifests}/ on ${ref}: rendering it instead` });
          }
          const rendered =
            environments.length === 0
              ? []
              : await renderEnvironments(
                  { helmfile: join(tree.directory, helmfile), environments, clusterScopedKinds: settings.clusterScopedKinds, cwd: tree.directory },
                  toolchain,
                  sideProgress,
                );
          return { side, ref, sha: tree.sha, source: 'render', environments: rendered };
        }),
      );
      const failures = results.flatMap((result, index) =>
        result.status === 'rejected' ? [{ side: sides[index]!.side, ref: sides[index]!.ref, sha: sides[index]!.tree.sha, error: result.reason as Error }] : [],
      );
      if (failures.length > 0) throw new RevisionRenderFailure(failures);
      const [base, head] = results.map((result) => (result as PromiseFulfilledResult<RenderedRevision>).value);
      return { base: base!, head: head! };
    },
  );
}

/** Environments declared by the helmfile of one commit; none when the commit has no helmfile yet. */
async function sideEnvironments(tree: Worktree, helmfile: string): Promise<string[]> {
  let file: string;
  try {
    file = await locateHelmfile(join(tree.directory, helmfile));
  } catch {
    return [];
  }
  return discoverEnvironments(file);
}

async function readTrustedManifests(tree: Worktree, helmfile: string, manifests: string, environments: string[], toolchain: RenderToolchain): Promise<EnvironmentManifests[] | undefined> {
  const directory = join(tree.directory, manifests);
  if (!(await stat(directory).then((s) => s.isDirectory()).catch(() => false))) return undefined;
  const committed = await readManifestTree(directory, environments);
  // Committed files do not say which chart and version made them; `helmfile list` does, cheaply.
  const file = await locateHelmfile(join(tree.directory, helmfile)).catch(() => undefined);
  if (file) {
    const command = new HelmfileCommand({ helmfile: toolchain.helmfile.path, helm: toolchain.helm.path, file, cwd: tree.directory, env: toolchain.env });
    await Promise.all(
      committed.map(async (environment) => {
        const listed = await command.listReleases(environment.environment).catch(() => []);
        for (const release of environment.releases) {
          const match = listed.find((entry) => entry.name === release.release.name);
          if (match) release.release = match;
        }
      }),
    );
  }
  return committed;
}

/** A path given on the command line (relative to `cwd`) or absolute, as a path inside the repository. */
function repositoryRelativePath(root: string, cwd: string, path: string, what: string): string {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || isAbsolute(inside)) throw new Error(`${what} "${path}" is outside the git repository ${root}; pass a path inside it`);
  return inside.split(sep).join('/') || '.';
}
