import { isAbsolute, relative, resolve, sep } from 'node:path';
import { exportCommit } from '../git/export-commit.js';
import { GitRepository } from '../git/git.js';
import { repositoryRoot } from '../git/working-tree.js';
import { withTemporaryDirectory } from '../fs/temporary-directory.js';
import { RenderError, withSide } from '../render/errors.js';
import type { RenderProgress, RenderToolchain } from '../render/render.js';
import { renderExportedRevision, type RevisionRender, type RevisionSettings } from '../revision/revisions.js';
import type { Side } from '../side.js';

/** A side of the comparison: the ref a person named and the commit it resolved to. */
export interface Revision {
  ref: string;
  sha: string;
}

/** One commit, rendered, with the ref it was asked for. */
export interface RenderedRevision extends RevisionRender {
  ref: string;
}

/** Both commits, each exported into a directory that lives as long as the comparison. */
export interface RenderedSides {
  base: RenderedRevision;
  head: RenderedRevision;
  /** The export of each side: later stages read the commit's files (values files, charts) from it. */
  directories: Record<Side, string>;
}

export const SIDES: readonly Side[] = ['base', 'head'];

/**
 * Exports both commits to temporary directories, runs `task` with them, and removes them after:
 * the repository's checkout, index and worktrees stay untouched.
 */
export function withExportedSides<T>(
  repository: string,
  revisions: Record<Side, Revision>,
  task: (directories: Record<Side, string>) => Promise<T>,
): Promise<T> {
  return withTemporaryDirectory('helmfile-hydrate-base-', (base) =>
    withTemporaryDirectory('helmfile-hydrate-head-', async (head) => {
      await Promise.all([exportCommit(repository, revisions.base.sha, base), exportCommit(repository, revisions.head.sha, head)]);
      return task({ base, head });
    }),
  );
}

/**
 * Renders both exported commits at once. The one failure rule: a failure never stops the other
 * environments or the other side; it is returned with its side and the caller compares only the
 * environments that rendered on both sides. An environment declared on one side only is rendered
 * on that side (it shows added or removed); one asked for and declared on neither is a failure.
 */
export async function renderSides(
  directories: Record<Side, string>,
  revisions: Record<Side, Revision>,
  settings: RevisionSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress,
): Promise<RenderedSides> {
  const render = (side: Side) => renderExportedRevision(directories[side], side, revisions[side].sha, settings, toolchain, progress);
  const [base, head] = await Promise.all([render('base'), render('head')]);
  const undeclared = (settings.environments ?? []).filter((name) => !base.declared.includes(name) && !head.declared.includes(name));
  const declared = [...new Set([...base.declared, ...head.declared])].sort();
  const unknown = undeclared.map(
    (name) =>
      new RenderError(
        { environment: name, file: settings.helmfile },
        `the helmfile declares no environment "${name}" on either commit (declared: ${declared.join(', ') || 'none'})`,
      ),
  );
  return {
    base: { ...base, ref: revisions.base.ref },
    head: { ...head, ref: revisions.head.ref, failures: [...head.failures, ...withSide('head', unknown)] },
    directories,
  };
}

/** Resolves two git refs of the repository at `root` (HEAD when `head` is not given). */
export async function resolveRevisions(root: string, base: string, head = 'HEAD'): Promise<Record<Side, Revision>> {
  const git = new GitRepository(root);
  const [baseSha, headSha] = await Promise.all([git.revParse(base), git.revParse(head)]);
  return { base: { ref: base, sha: baseSha }, head: { ref: head, sha: headSha } };
}

/** A path given on the command line (relative to `cwd`) or absolute, as a path inside the repository. */
export function repositoryRelativePath(root: string, cwd: string, path: string, what: string): string {
  const absolute = isAbsolute(path) ? path : resolve(cwd, path);
  const inside = relative(root, absolute);
  if (inside.startsWith('..') || isAbsolute(inside))
    throw new Error(`${what} "${path}" is outside the git repository ${root}; pass a path inside it`);
  return inside.split(sep).join('/') || '.';
}

/** Both commits to render, as `diff` names them: git refs of the repository holding `repository`. */
export interface RevisionRenderSettings extends RevisionSettings {
  /** Any directory inside the git repository. */
  repository: string;
  /** Git ref of the base side (`origin/main`, a SHA). */
  base: string;
  /** Git ref of the head side; default `HEAD` (the last commit: uncommitted changes are not part of it). */
  head?: string;
}

/**
 * Renders the base and head commits of a repository (the render stage of compareRevisions alone,
 * same failure rule: failures are in each side's `failures`, never thrown).
 */
export async function renderRevisions(
  settings: RevisionRenderSettings,
  toolchain: RenderToolchain,
  progress: RenderProgress = () => {},
): Promise<Pick<RenderedSides, 'base' | 'head'>> {
  const root = await repositoryRoot(settings.repository);
  const helmfile = repositoryRelativePath(root, settings.repository, settings.helmfile, 'helmfile');
  const revisions = await resolveRevisions(root, settings.base, settings.head);
  return withExportedSides(root, revisions, async (directories) => {
    const { base, head } = await renderSides(directories, revisions, { ...settings, helmfile }, toolchain, progress);
    return { base, head };
  });
}
